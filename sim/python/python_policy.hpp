#pragma once
// A scheduling policy written in Python, run by the C++ engine: the Scheduler that calls the
// user's object once per scheduling pass with a read-only PolicyView (docs/writing-a-policy.md).
//
// The view is built for a policy that looks at the head of the queue only: `view.waiting` is
// the adapter's own queue (slots in arrival order), indexed lazily -- a pass costs the Python
// objects the policy asks for, not a copy of the queue.
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>

#include "gigasim/model/scenario.hpp"
#include "gigasim/policy/fair_share.hpp"
#include "gigasim/policy/scheduler.hpp"

namespace gigasim::python {

namespace py = pybind11;

class PythonScheduler;

/// The scheduler a view object belongs to, or the news that it is gone: Python may keep a view
/// or a Job after its run ended and the scheduler was destroyed, so objects handed to Python
/// hold a shared cell the scheduler clears when it dies, never a bare pointer.
class OwnerRef {
 public:
  OwnerRef() = default;
  explicit OwnerRef(std::shared_ptr<PythonScheduler*> cell) : cell_(std::move(cell)) {}
  /// The live scheduler; raises a Python ValueError once its run has ended.
  PythonScheduler* get() const;
  PythonScheduler* operator->() const { return get(); }
  PythonScheduler& operator*() const { return *get(); }
  bool same(const OwnerRef& o) const { return cell_ == o.cell_; }

 private:
  std::shared_ptr<PythonScheduler*> cell_;
};

/// What a policy object receives: valid only during its schedule() call.
struct PolicyView {
  OwnerRef owner;
};

/// A job as the policy sees it: a slot and the id it held when handed out, so that a Job kept
/// past its life (its slot reused) says so instead of describing another job.
struct JobHandle {
  OwnerRef owner;
  std::uint32_t slot = 0;
  std::uint64_t id = 0;
};

class PythonScheduler final : public Scheduler {
 public:
  /// `policy`: an object with schedule(view); `tenants`/`factories`: the scenario's, for names.
  PythonScheduler(py::object policy, const Scenario& scenario);
  ~PythonScheduler() override;

  void enqueue(std::uint32_t slot, const ClusterView& view) override;
  void schedule(ClusterView& view) override;
  void pass_settled(const ClusterView& view) override { ledger_.record_holdings(view); }
  std::size_t queue_length() const override { return queue_.size(); }
  /// Running jobs by expected end are part of the view (Factory.running, shadow()).
  bool needs_release_index() const override { return true; }
  bool preempts() const override { return preempts_; }
  /// For Simulation.fork(): a copy.deepcopy of the policy object, with the same queue.
  std::unique_ptr<Scheduler> clone() const override;

  // --- used by the view's bindings (sim/python/bindings_view.cpp) ---
  /// The engine's view; throws a Python RuntimeError outside a pass.
  ClusterView& cluster() const;
  const Scenario& scenario() const { return scenario_; }
  std::size_t waiting_count() const { return queue_.size(); }
  std::uint32_t waiting_slot(std::size_t i) const { return queue_[i]; }
  /// The active job a handle names; throws a Python LookupError if it has ended since.
  const ActiveJob& job(const JobHandle& h) const;
  /// The Python Job for a slot: one object per job, reused across passes (a policy reading the
  /// head of the queue on every pass then costs no allocation), replaced when the slot is reused.
  py::object job_object(std::uint32_t slot);
  /// A job's eligible factories as a tuple, one per access profile (profiles never change).
  py::object eligible_object(std::uint16_t access);
  /// A tenant's chip-seconds held, decayed as fair-share counts them (the scenario's
  /// policy.fair_share_half_life), exact up to now.
  double decayed_chip_seconds(std::uint16_t tenant) const { return ledger_.usage()[tenant]; }
  std::uint32_t fair_share_rank(std::uint16_t tenant) const { return ledger_.rank(tenant); }
  /// A built-in placement by name, made once per run (view.place is called per job).
  const Placement& placement(const std::string& name);
  /// The view's WaitingJobs sequence: one object for the run, made by the bindings on first use.
  py::object& waiting_object() { return waiting_; }
  /// Validated by the engine; a refusal raises gigasim.PolicyError.
  void start(const JobHandle& job, std::uint32_t factory);
  void preempt(const JobHandle& job);
  /// Applies a returned decision: gigasim.Start or gigasim.Preempt (or a tuple of the same).
  void apply(const py::handle& decision);
  py::object view_object() const { return view_; }

 private:
  void finish_pass();

  std::shared_ptr<PythonScheduler*> cell_ = std::make_shared<PythonScheduler*>(this);
  OwnerRef self_{cell_};
  py::object policy_;
  py::object schedule_;  ///< the bound method, looked up once
  py::object view_;      ///< one PolicyView object, handed to every pass
  py::object waiting_;   ///< one WaitingJobs object
  std::vector<py::object> job_objects_;  ///< by slot; see job_object()
  std::vector<std::uint64_t> job_object_ids_;
  std::vector<py::object> eligible_objects_;  ///< by access profile
  std::vector<std::pair<std::string, std::unique_ptr<Placement>>> placements_;
  const Scenario& scenario_;
  /// Decayed tenant usage, brought up to date at every instant's pass -- also the passes
  /// skipped for an empty queue, since holdings change only at instants, each of which has one.
  FairShareLedger ledger_;
  bool preempts_ = false;
  ClusterView* cluster_ = nullptr;  ///< set during a pass
  /// Waiting jobs in arrival (id) order. Jobs started in a pass stay listed until it ends (so
  /// that indexes do not move under a policy walking the queue); jobs that queue during a pass
  /// (preemption victims) join when it ends.
  std::deque<std::uint32_t> queue_;
  std::vector<std::uint32_t> started_, joining_;
  std::vector<std::uint8_t> started_mark_;  ///< by slot
};

/// The bindings of PolicyView, Job, Factory, Tenant and the decision types, into `m`.
void bind_policy_view(py::module_& m);

}  // namespace gigasim::python
