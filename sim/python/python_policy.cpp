#include "python_policy.hpp"

#include <algorithm>

#include "gigasim/error.hpp"
#include "gigasim/policy/registry.hpp"
#include "gigasim/policy/strict_fifo.hpp"

namespace gigasim::python {

PythonScheduler::PythonScheduler(py::object policy, const Scenario& scenario)
    : policy_(std::move(policy)),
      scenario_(scenario),
      ledger_(scenario.tenants, scenario.policy.fair_share_half_life) {
  if (!py::hasattr(policy_, "schedule"))
    throw py::type_error("a Python policy needs a method schedule(self, view); " +
                     std::string(py::str(py::type::of(policy_).attr("__name__"))) + " has none");
  schedule_ = policy_.attr("schedule");
  // `preempts = True` on the class: the engine then maintains view.preemptible() and accepts
  // preemptions from this policy.
  preempts_ = py::hasattr(policy_, "preempts") && py::bool_(policy_.attr("preempts"));
  view_ = py::cast(PolicyView{self_});
}

PythonScheduler* OwnerRef::get() const {
  if (!cell_ || !*cell_) throw py::value_error("the policy view is valid only during schedule(view); its run has ended");
  return *cell_;
}

PythonScheduler::~PythonScheduler() {
  *cell_ = nullptr;  // views and Jobs Python kept now say their run has ended
  // Destroyed where no GIL is held (a bench worker): the Python references need it.
  py::gil_scoped_acquire gil;
  view_ = py::object();
  waiting_ = py::object();
  job_objects_.clear();
  eligible_objects_.clear();
  schedule_ = py::object();
  policy_ = py::object();
}

std::unique_ptr<Scheduler> PythonScheduler::clone() const {
  py::gil_scoped_acquire gil;
  auto copy = std::make_unique<PythonScheduler>(py::module_::import("copy").attr("deepcopy")(policy_), scenario_);
  copy->queue_ = queue_;  // forks happen between passes: nothing is started or joining
  copy->ledger_ = ledger_;
  return copy;
}

void PythonScheduler::enqueue(std::uint32_t slot, const ClusterView& view) {
  if (cluster_) {  // a preemption victim, queued again within this pass
    joining_.push_back(slot);
    return;
  }
  enqueue_by_arrival(queue_, slot, view);
}


void PythonScheduler::schedule(ClusterView& view) {
  ledger_.update(view.now());  // as the built-in fair-share does, on every pass
  // Passes with nobody waiting are skipped: there is nothing to start, and a preemption only
  // makes room for a waiting job.
  if (queue_.empty()) return;
  py::gil_scoped_acquire gil;
  cluster_ = &view;
  struct EndPass {
    PythonScheduler* s;
    ~EndPass() { s->cluster_ = nullptr; }
  } end{this};
  py::object decisions = schedule_(view_);
  if (!decisions.is_none()) {
    if (!py::isinstance<py::iterable>(decisions))
      throw py::type_error("schedule() must return None or an iterable of decisions (gigasim.Start, "
                           "gigasim.Preempt), got " + std::string(py::str(py::type::of(decisions).attr("__name__"))));
    for (const py::handle d : decisions) apply(d);
  }
  finish_pass();
}

void PythonScheduler::finish_pass() {
  ClusterView& view = cluster();
  auto started = [&](std::uint32_t slot) { return slot < started_mark_.size() && started_mark_[slot] != 0; };
  if (!started_.empty()) {
    // Starts are usually at the front (FIFO): pop those, then compact only if others remain.
    std::size_t left = started_.size();
    while (left > 0 && !queue_.empty() && started(queue_.front())) {
      started_mark_[queue_.front()] = 0;
      queue_.pop_front();
      --left;
    }
    if (left > 0) queue_.erase(std::remove_if(queue_.begin(), queue_.end(), started),
                               queue_.end());
    for (const std::uint32_t s : started_) started_mark_[s] = 0;
    started_.clear();
  }
  // Victims preempted in this pass join the queue, once each, unless they were started again.
  std::sort(joining_.begin(), joining_.end());
  joining_.erase(std::unique(joining_.begin(), joining_.end()), joining_.end());
  std::vector<std::uint32_t> joining;
  joining.swap(joining_);
  cluster_ = nullptr;  // enqueue() inserts now instead of deferring
  for (const std::uint32_t slot : joining)
    if (view.job(slot).state == JobState::Queued) enqueue(slot, view);
}

ClusterView& PythonScheduler::cluster() const {
  if (!cluster_) throw py::value_error("the policy view is valid only during schedule(view)");
  return *cluster_;
}

const Placement& PythonScheduler::placement(const std::string& name) {
  for (const auto& [n, p] : placements_)
    if (n == name) return *p;
  placements_.emplace_back(name, make_placement(name));  // an unknown name raises here
  return *placements_.back().second;
}

py::object PythonScheduler::eligible_object(std::uint16_t access) {
  if (access >= eligible_objects_.size()) eligible_objects_.resize(access + 1u);
  py::object& cached = eligible_objects_[access];
  if (!cached) {
    const auto f = cluster().allowed_factories(access);
    py::tuple t(f.size());
    for (std::size_t i = 0; i < f.size(); ++i) t[i] = py::int_(f[i]);
    cached = std::move(t);
  }
  return cached;
}

py::object PythonScheduler::job_object(std::uint32_t slot) {
  const std::uint64_t id = cluster().job(slot).id;
  if (slot >= job_objects_.size()) {
    const std::size_t n = std::max<std::size_t>(slot + 1, job_objects_.size() * 2);
    job_objects_.resize(n);
    job_object_ids_.resize(n);
  }
  py::object& cached = job_objects_[slot];
  if (!cached || job_object_ids_[slot] != id) {
    cached = py::cast(JobHandle{self_, slot, id});
    job_object_ids_[slot] = id;
  }
  return cached;
}

const ActiveJob& PythonScheduler::job(const JobHandle& h) const {
  const ClusterView& view = cluster();
  if (!view.active(h.slot) || view.job(h.slot).id != h.id)
    throw py::key_error("job " + std::to_string(h.id) + " is no longer active (it ended before this pass)");
  return view.job(h.slot);
}

void PythonScheduler::start(const JobHandle& h, std::uint32_t factory) {
  if (!h.owner.same(self_)) throw py::value_error("this job belongs to another run's view");
  (void)job(h);  // a handle to an ended job is refused here; everything else by the engine
  cluster().start(h.slot, factory);  // validated: throws PolicyError naming job, factory and why
  if (started_mark_.size() <= h.slot) started_mark_.resize(std::max<std::size_t>(h.slot + 1, started_mark_.size() * 2));
  started_mark_[h.slot] = 1;
  started_.push_back(h.slot);
}

void PythonScheduler::preempt(const JobHandle& h) {
  if (!h.owner.same(self_)) throw py::value_error("this job belongs to another run's view");
  (void)job(h);
  if (!preempts_)
    throw PolicyError("policy decision refused: preempt job " + std::to_string(h.id) +
                      ": the policy does not preempt (set `preempts = True` on its class)");
  cluster().preempt(h.slot);
}

}  // namespace gigasim::python
