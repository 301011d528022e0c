// The Python side of a policy's view: PolicyView, Job, Factory, Tenant, and the decisions
// Start and Preempt. Everything is read live from the engine during the pass; nothing is
// copied up front (see python_policy.hpp).
#include <pybind11/stl.h>

#include <cmath>
#include <limits>
#include <optional>

#include "gigasim/error.hpp"
#include "gigasim/policy/registry.hpp"
#include "python_policy.hpp"

namespace gigasim::python {

namespace {

struct FactoryHandle {
  OwnerRef owner;
  std::uint32_t index = 0;
};
struct TenantHandle {
  OwnerRef owner;
  std::uint16_t index = 0;
};
/// The waiting jobs of the pass, in arrival order, as a read-only sequence.
struct WaitingJobs {
  OwnerRef owner;
};
struct StartDecision {
  JobHandle job;
  py::object factory;
};
struct PreemptDecision {
  JobHandle job;
};

double seconds(SimTime t) { return t.seconds_f(); }
double seconds(Duration d) { return d.seconds_f(); }

const FactoryPool& pool(const FactoryHandle& f) { return f.owner->cluster().factories()[f.index]; }

// A factory argument: its index, its name, or a Factory object.
std::uint32_t factory_index(PythonScheduler& s, const py::handle& f) {
  const auto n = static_cast<std::uint32_t>(s.scenario().factories.size());
  if (PyLong_CheckExact(f.ptr())) {  // the common case first: an index from eligible_factories or place()
    const long long i = PyLong_AsLongLong(f.ptr());
    if (i >= 0 && i < static_cast<long long>(n)) return static_cast<std::uint32_t>(i);
  }
  if (py::isinstance<FactoryHandle>(f)) return f.cast<FactoryHandle>().index;
  if (py::isinstance<py::str>(f)) {
    const std::string name = f.cast<std::string>();
    for (std::uint32_t i = 0; i < n; ++i)
      if (s.scenario().factories[i].name == name) return i;
    throw py::value_error("no factory named '" + name + "'");
  }
  if (py::isinstance<py::int_>(f) && !py::isinstance<py::bool_>(f)) {
    const long long i = f.cast<long long>();
    if (i < 0 || i >= static_cast<long long>(n))
      throw PolicyError("policy decision refused: factory " + std::to_string(i) + ": no such factory (the scenario has " +
                        std::to_string(n) + ")");
    return static_cast<std::uint32_t>(i);
  }
  throw py::type_error("a factory is given by its index, its name or a Factory, got " +
                       std::string(py::str(py::type::of(f).attr("__name__"))));
}

JobHandle job_arg(const py::handle& j) {
  py::detail::make_caster<JobHandle> caster;  // one type lookup (isinstance + cast would do two)
  if (!caster.load(j, /*convert=*/false))
    throw py::type_error("expected a gigasim Job (from view.waiting or a Factory's running jobs), got " +
                         std::string(py::str(py::type::of(j).attr("__name__"))));
  return py::detail::cast_op<JobHandle&>(caster);
}

py::object job_at(PythonScheduler& s, long long i) {
  const auto n = static_cast<long long>(s.waiting_count());
  if (i < 0) i += n;
  if (i < 0 || i >= n) throw py::index_error("waiting job index out of range");
  return s.job_object(s.waiting_slot(static_cast<std::size_t>(i)));
}

py::list running_on(PythonScheduler& s, std::uint32_t f) {
  py::list out;
  s.cluster().releases(f).for_each([&](SimTime, std::uint32_t slot, std::uint32_t) { out.append(s.job_object(slot)); });
  return out;
}


// The iterator over view.waiting, as a plain CPython type: its end is a NULL return, where a
// pybind11 __next__ would throw a C++ exception at the end of every pass (about a microsecond
// each, most of a FIFO pass). The list does not change during a pass, so its length is fixed.
struct WaitingIter {
  PyObject_HEAD
  const OwnerRef* owner;  ///< the WaitingJobs object's, alive as long as it is
  PyObject* waiting;      ///< keeps the WaitingJobs object alive
  std::size_t next, end;
};

void waiting_iter_dealloc(PyObject* self) {
  PyTypeObject* type = Py_TYPE(self);  // a heap type: each instance holds a reference to it
  Py_XDECREF(reinterpret_cast<WaitingIter*>(self)->waiting);
  type->tp_free(self);
  Py_DECREF(type);
}

PyObject* waiting_iter_next(PyObject* self) {
  auto* it = reinterpret_cast<WaitingIter*>(self);
  if (it->next >= it->end) return nullptr;  // StopIteration, without an exception object
  try {
    PythonScheduler& s = **it->owner;  // raises if the run has ended
    return s.job_object(s.waiting_slot(it->next++)).release().ptr();
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (const std::exception& e) {  // outside a pass: the view's own error
    PyErr_SetString(PyExc_ValueError, e.what());
  }
  return nullptr;
}

PyTypeObject* waiting_iter_type() {
  static PyType_Slot slots[] = {{Py_tp_dealloc, reinterpret_cast<void*>(waiting_iter_dealloc)},
                                {Py_tp_iter, reinterpret_cast<void*>(PyObject_SelfIter)},
                                {Py_tp_iternext, reinterpret_cast<void*>(waiting_iter_next)},
                                {0, nullptr}};
  static PyType_Spec spec = {"gigasim._WaitingIterator", sizeof(WaitingIter), 0, Py_TPFLAGS_DEFAULT, slots};
  static PyTypeObject* type = reinterpret_cast<PyTypeObject*>(PyType_FromSpec(&spec));  // once, under the GIL
  if (!type) throw py::error_already_set();
  return type;
}

py::object waiting_iter(const py::handle& waiting) {
  const OwnerRef& owner = waiting.cast<const WaitingJobs&>().owner;
  PythonScheduler& s = *owner;
  s.cluster();  // valid only during a pass
  auto* it = PyObject_New(WaitingIter, waiting_iter_type());
  if (!it) throw py::error_already_set();
  it->owner = &owner;
  it->waiting = waiting.inc_ref().ptr();
  it->next = 0;
  it->end = s.waiting_count();
  return py::reinterpret_steal<py::object>(reinterpret_cast<PyObject*>(it));
}

}  // namespace

void PythonScheduler::apply(const py::handle& d) {
  if (py::isinstance<StartDecision>(d)) {
    const auto& s = d.cast<const StartDecision&>();
    start(s.job, factory_index(*this, s.factory));
  } else if (py::isinstance<PreemptDecision>(d)) {
    preempt(d.cast<const PreemptDecision&>().job);
  } else if (py::isinstance<py::tuple>(d) && py::len(d) == 2) {
    const auto t = d.cast<py::tuple>();
    start(job_arg(t[0]), factory_index(*this, t[1]));
  } else {
    throw py::type_error("a decision is gigasim.Start(job, factory), gigasim.Preempt(job) or a tuple (job, factory), got " +
                         std::string(py::repr(d)));
  }
}

void bind_policy_view(py::module_& m) {
  py::class_<JobHandle>(m, "Job", "A waiting or running job, as a policy sees it (read live during the pass).")
      .def_property_readonly("id", [](const JobHandle& h) { return h.owner->job(h).id; }, "arrival ordinal (0, 1, ...)")
      .def_property_readonly("label", [](const JobHandle& h) { return std::string(h.owner->cluster().label(h.owner->job(h))); },
                             "the trace's or job list's id; '' when none")
      .def_property_readonly("tenant", [](const JobHandle& h) { return h.owner->job(h).tenant; }, "tenant index")
      .def_property_readonly("tenant_name", [](const JobHandle& h) { return h.owner->scenario().tenants[h.owner->job(h).tenant].name; })
      .def_property_readonly("chips", [](const JobHandle& h) { return h.owner->job(h).chips; })
      .def_property_readonly("submit", [](const JobHandle& h) { return seconds(h.owner->job(h).submit); }, "seconds")
      .def_property_readonly("estimate", [](const JobHandle& h) { return seconds(h.owner->job(h).estimate); },
                             "the scheduler's runtime estimate of the next (or current) attempt, seconds")
      .def_property_readonly("work_left", [](const JobHandle& h) { return seconds(h.owner->job(h).work); },
                             "useful work left (since the last checkpoint), seconds on its home factory's chips")
      .def_property_readonly("attempts", [](const JobHandle& h) { return h.owner->job(h).attempts; },
                             "attempts begun so far (0 for a job that never started)")
      .def_property_readonly("interruptions", [](const JobHandle& h) { return h.owner->job(h).interruptions; })
      .def_property_readonly("running", [](const JobHandle& h) { return h.owner->job(h).state == JobState::Running; })
      .def_property_readonly("factory", [](const JobHandle& h) -> py::object {
        const ActiveJob& j = h.owner->job(h);
        return j.state == JobState::Running ? py::cast(j.factory) : py::none();
      }, "index of the factory it runs on; None while waiting")
      .def_property_readonly("start", [](const JobHandle& h) -> py::object {
        const ActiveJob& j = h.owner->job(h);
        return j.state == JobState::Running ? py::cast(seconds(j.start)) : py::none();
      }, "start of the current attempt, seconds; None while waiting")
      .def_property_readonly("expected_end", [](const JobHandle& h) -> py::object {
        const ActiveJob& j = h.owner->job(h);
        return j.state == JobState::Running ? py::cast(seconds(j.start + j.estimate)) : py::none();
      }, "start + estimate of the current attempt, seconds; None while waiting")
      .def_property_readonly("attained_service", [](const JobHandle& h) {
        const ActiveJob& j = h.owner->job(h);
        Duration ran = j.useful_time;
        if (j.state == JobState::Running) ran = ran + (h.owner->cluster().now() - j.start);
        return static_cast<double>(j.chips) * seconds(ran);
      }, "chip-seconds: chips x (work kept so far + the current attempt's time)")
      .def_property_readonly("eligible_factories", [](const JobHandle& h) {
        return h.owner->eligible_object(h.owner->job(h).access);
      }, "a tuple of the indexes of the factories it may use (its tenant's sites, narrowed by its memory need)")
      .def("__eq__", [](const JobHandle& a, const py::object& b) {
        return py::isinstance<JobHandle>(b) && a.owner.same(b.cast<JobHandle>().owner) && a.id == b.cast<JobHandle>().id;
      })
      .def("__hash__", [](const JobHandle& h) { return py::hash(py::cast(h.id)); })
      .def("__repr__", [](const JobHandle& h) {
        return "<Job " + std::to_string(h.id) + (h.owner->cluster().active(h.slot) ? "" : " (ended)") + ">";
      });

  py::class_<FactoryHandle>(m, "Factory", "A factory's pool of nodes, read live.")
      .def_property_readonly("index", [](const FactoryHandle& f) { return f.index; })
      .def_property_readonly("name", [](const FactoryHandle& f) { return f.owner->scenario().factories[f.index].name; })
      .def_property_readonly("chip", [](const FactoryHandle& f) { return f.owner->scenario().factories[f.index].chip.name; })
      .def_property_readonly("chip_bf16_flops", [](const FactoryHandle& f) { return f.owner->scenario().factories[f.index].chip.bf16_flops; })
      .def_property_readonly("node_size", [](const FactoryHandle& f) { return f.owner->scenario().factories[f.index].node_size; })
      .def_property_readonly("domain_nodes", [](const FactoryHandle& f) -> py::object {
        const auto& t = f.owner->scenario().factories[f.index].topology;
        return t ? py::cast(t->domain_nodes) : py::none();
      }, "nodes per scale-up domain; None where domains are not modelled")
      .def_property_readonly("online", [](const FactoryHandle& f) { return pool(f).online(); })
      .def_property_readonly("installed_nodes", [](const FactoryHandle& f) { return pool(f).installed_nodes(); })
      .def_property_readonly("healthy_nodes", [](const FactoryHandle& f) {
        const FactoryPool& p = pool(f);
        return p.installed_nodes() - p.down_nodes() - p.maintenance_nodes();
      }, "installed nodes not down and not in maintenance (spares included)")
      .def_property_readonly("free_nodes", [](const FactoryHandle& f) { return pool(f).free_nodes(); },
                             "nodes a job may be given now (healthy, unused, within the power cap)")
      .def_property_readonly("busy_nodes", [](const FactoryHandle& f) { return pool(f).busy_nodes(); },
                             "nodes held by jobs and inference services")
      .def_property_readonly("serving_nodes", [](const FactoryHandle& f) { return pool(f).serving_nodes(); },
                             "the part of busy_nodes held by inference services")
      .def_property_readonly("down_nodes", [](const FactoryHandle& f) { return pool(f).down_nodes(); })
      .def_property_readonly("maintenance_nodes", [](const FactoryHandle& f) { return pool(f).maintenance_nodes(); })
      .def("nodes_for", [](const FactoryHandle& f, std::uint32_t chips) { return pool(f).nodes_for(chips); },
           "nodes a job of this many chips occupies here (nodes are whole)")
      .def("could_ever_fit", [](const FactoryHandle& f, std::uint32_t chips) { return pool(f).could_ever_fit(chips); })
      .def_property_readonly("running", [](const FactoryHandle& f) { return running_on(*f.owner, f.index); },
                             "its running jobs by expected end (a new list: O(running jobs))")
      .def("shadow", [](const FactoryHandle& f, long long nodes) -> py::object {
        if (nodes <= 0) throw py::value_error("shadow(nodes): expected nodes > 0");
        const auto s = f.owner->cluster().releases(f.index).shadow(nodes);
        if (!s) return py::none();
        return py::make_tuple(seconds(s->first), s->second);
      }, "the earliest expected time (s) by which running jobs will have released `nodes` more nodes, and how many "
         "they will have released by then; None if they do not hold that many. O(log running jobs)")
      .def("released_by", [](const FactoryHandle& f, double t) {
        return f.owner->cluster().releases(f.index).released_by(SimTime::zero() + Duration::from_seconds(t));
      }, "nodes of running jobs expected to end at or before time t (s)")
      .def("__repr__", [](const FactoryHandle& f) { return "<Factory " + f.owner->scenario().factories[f.index].name + ">"; });

  py::class_<TenantHandle>(m, "Tenant", "A tenant: its entitlement and what it holds now.")
      .def_property_readonly("index", [](const TenantHandle& t) { return t.index; })
      .def_property_readonly("name", [](const TenantHandle& t) { return t.owner->scenario().tenants[t.index].name; })
      .def_property_readonly("share", [](const TenantHandle& t) { return t.owner->scenario().tenants[t.index].share; })
      .def_property_readonly("priority", [](const TenantHandle& t) { return t.owner->scenario().tenants[t.index].priority; })
      .def_property_readonly("preemptible", [](const TenantHandle& t) { return t.owner->scenario().tenants[t.index].preemptible; })
      .def_property_readonly("quota", [](const TenantHandle& t) { return t.owner->scenario().tenants[t.index].quota; },
                             "most it may hold at once, a fraction of online chips; None without one")
      .def_property_readonly("used_chip_hours", [](const TenantHandle& t) { return t.owner->cluster().used_chip_hours(t.index); },
                             "chip-hours its jobs have held (whole nodes) from time 0 to now; exact")
      .def_property_readonly("fair_share_usage", [](const TenantHandle& t) {
        t.owner->cluster();
        return t.owner->decayed_chip_seconds(t.index) / 3600.0;
      }, "chip-hours held, decayed by 2^(-age / policy.fair_share_half_life): what fair-share ranks by")
      .def_property_readonly("fair_share_rank", [](const TenantHandle& t) {
        t.owner->cluster();
        return t.owner->fair_share_rank(t.index);
      }, "0 for the tenant furthest below its share (fair_share_usage / share, lowest first)")
      .def_property_readonly("held_chips", [](const TenantHandle& t) { return t.owner->cluster().held_chips(t.index); },
                             "chips its running jobs hold now (whole nodes)")
      .def("within_quota", [](const TenantHandle& t, long long chips) { return t.owner->cluster().within_quota(t.index, chips); },
           "whether it may take this many more chips (quota and enforced allocation)")
      .def("__repr__", [](const TenantHandle& t) { return "<Tenant " + t.owner->scenario().tenants[t.index].name + ">"; });

  py::class_<WaitingJobs>(m, "WaitingJobs",
                          "The jobs waiting at the start of the pass, in arrival order. Jobs started during the pass "
                          "stay listed (with running == True) until it ends, so indexes do not move.")
      .def("__len__", [](const WaitingJobs& w) { return w.owner->waiting_count(); })
      .def("__bool__", [](const WaitingJobs& w) { return w.owner->waiting_count() > 0; })
      .def("__getitem__", [](const WaitingJobs& w, long long i) { return job_at(*w.owner, i); })
      .def("__getitem__", [](const WaitingJobs& w, const py::slice& sl) {
        std::size_t start = 0, stop = 0, step = 0, n = 0;
        if (!sl.compute(w.owner->waiting_count(), &start, &stop, &step, &n)) throw py::error_already_set();
        py::list out;
        for (std::size_t k = 0; k < n; ++k, start += step) out.append(w.owner->job_object(w.owner->waiting_slot(start)));
        return out;
      })
      .def("__iter__", [](py::object self) { return waiting_iter(self); });

  py::class_<PolicyView>(m, "PolicyView", "What a policy sees in schedule(view); valid only during that call.")
      .def_property_readonly("now", [](const PolicyView& v) { return seconds(v.owner->cluster().now()); }, "seconds")
      .def_property_readonly("waiting", [](const PolicyView& v) {
        v.owner->cluster();
        py::object& w = v.owner->waiting_object();
        if (!w) w = py::cast(WaitingJobs{v.owner});
        return w;
      })
      .def_property_readonly("factories", [](const PolicyView& v) {
        v.owner->cluster();
        py::list out;
        for (std::uint32_t f = 0; f < v.owner->scenario().factories.size(); ++f) out.append(py::cast(FactoryHandle{v.owner, f}));
        return out;
      })
      .def_property_readonly("tenants", [](const PolicyView& v) {
        v.owner->cluster();
        py::list out;
        for (std::uint16_t t = 0; t < v.owner->scenario().tenants.size(); ++t) out.append(py::cast(TenantHandle{v.owner, t}));
        return out;
      })
      .def_property_readonly("services", [](const PolicyView& v) {
        const auto status = v.owner->cluster().services();
        const auto& specs = v.owner->scenario().services;
        py::list out;
        for (std::size_t s = 0; s < status.size(); ++s) {
          py::dict d;
          d["index"] = s;
          d["name"] = specs[s].name;
          d["tenant"] = v.owner->scenario().tenants[specs[s].tenant].name;
          d["demand_chips"] = status[s].demand_chips;
          d["held_chips"] = status[s].held_chips;
          out.append(std::move(d));
        }
        return out;
      }, "inference services now: dicts of index, name, tenant, demand_chips, held_chips (served before this pass)")
      .def("service_demand", [](const PolicyView& v, std::size_t s, double t) {
        const auto& specs = v.owner->scenario().services;
        if (s >= specs.size()) throw py::index_error("service_demand: no service " + std::to_string(s));
        return static_cast<double>(specs[s].chips_wanted(SimTime::zero() + Duration::from_seconds(t)));
      }, py::arg("service"), py::arg("t"),
         "chips service `service` will want at time t (seconds), from its demand curve")
      .def("fits", [](const PolicyView& v, const py::object& job, const py::object& factory) {
        const ActiveJob& j = v.owner->job(job_arg(job));
        return Placement::feasible(j, v.owner->cluster(), factory_index(*v.owner, factory), nullptr);
      }, "whether start(job, factory) would be accepted now: online, allowed, enough free nodes, within quota")
      .def("place", [](const PolicyView& v, const py::object& job, const std::string& placement) -> py::object {
        const ActiveJob& j = v.owner->job(job_arg(job));
        const auto f = v.owner->placement(placement).place(j, v.owner->cluster());
        return f ? py::cast(*f) : py::none();
      }, py::arg("job"), py::arg("placement") = "first-fit",
         "a factory where the job fits now, chosen by a built-in placement (first-fit, best-fit, worst-fit, fastest); None if none")
      .def("estimate", [](const PolicyView& v, const py::object& job, const py::object& factory) {
        const ActiveJob& j = v.owner->job(job_arg(job));
        return seconds(v.owner->cluster().estimate_on(j, factory_index(*v.owner, factory)));
      }, "the runtime estimate (s) of the job's next attempt if it started on that factory now")
      .def("start", [](const PolicyView& v, const py::object& job, const py::object& factory) {
        v.owner->start(job_arg(job), factory_index(*v.owner, factory));
      }, "starts a waiting job on a factory now; raises gigasim.PolicyError (naming job, factory and why) if refused")
      .def("preempt", [](const PolicyView& v, const py::object& job) { v.owner->preempt(job_arg(job)); },
           "stops a running job of a preemptible tenant now (it keeps its last checkpoint and waits again); "
           "the policy's class must set preempts = True")
      .def("preemptible", [](const PolicyView& v, const py::object& factory) {
        PythonScheduler& s = *v.owner;
        py::list out;
        for (const auto& [priority, neg_start, slot] : s.cluster().preemptible(factory_index(s, factory))) out.append(s.job_object(slot));
        return out;
      }, "running jobs of preemptible tenants on a factory, cheapest victims first (lowest priority, then latest started)");

  py::class_<StartDecision>(m, "Start", "A decision: start `job` on `factory` (index, name or Factory).")
      .def(py::init([](const py::object& job, const py::object& factory) { return StartDecision{job_arg(job), factory}; }),
           py::arg("job"), py::arg("factory"))
      .def_property_readonly("job", [](const StartDecision& d) { return d.job; })
      .def_property_readonly("factory", [](const StartDecision& d) { return d.factory; })
      .def("__repr__", [](const StartDecision& d) { return "Start(job=" + std::to_string(d.job.id) + ", factory=" + std::string(py::repr(d.factory)) + ")"; });
  py::class_<PreemptDecision>(m, "Preempt", "A decision: preempt running `job`.")
      .def(py::init([](const py::object& job) { return PreemptDecision{job_arg(job)}; }), py::arg("job"))
      .def_property_readonly("job", [](const PreemptDecision& d) { return d.job; })
      .def("__repr__", [](const PreemptDecision& d) { return "Preempt(job=" + std::to_string(d.job.id) + ")"; });
}

}  // namespace gigasim::python
