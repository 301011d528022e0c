#include "result_tables.hpp"

#include <algorithm>
#include <limits>
#include <memory>

namespace gigasim::python {

namespace {
// A numpy array that owns the vector's buffer (no copy).
template <class T>
py::array_t<T> to_array(std::vector<T>&& v) {
  auto* owned = new std::vector<T>(std::move(v));
  py::capsule free_it(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>({owned->size()}, {sizeof(T)}, owned->data(), free_it);
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

py::tuple coded(std::vector<std::int32_t>&& codes, const NameCodes& names) {
  return py::make_tuple(to_array(std::move(codes)), names.names());
}
}  // namespace

std::int32_t NameCodes::code(std::string_view name) {
  // Few distinct names (tenants, factories, outcomes): a scan from the most recent is fastest.
  for (std::size_t i = names_.size(); i-- > 0;)
    if (names_[i] == name) return static_cast<std::int32_t>(i);
  names_.emplace_back(name);
  return static_cast<std::int32_t>(names_.size() - 1);
}

py::list NameCodes::names() const {
  py::list out;
  for (const auto& n : names_) out.append(py::str(n));
  return out;
}

void JobColumns::record(const JobRecord& r) {
  id_.push_back(r.id);
  label_.emplace_back(r.label);
  any_label_ = any_label_ || !r.label.empty();
  tenant_.push_back(tenants_.code(r.tenant));
  submit_.push_back(r.submit.seconds_f());
  start_.push_back(r.start ? r.start->seconds_f() : kNaN);
  end_.push_back(r.end ? r.end->seconds_f() : kNaN);
  chips_.push_back(r.chips);
  factory_.push_back(factories_.code(r.factory));
  status_.push_back(statuses_.code(to_string(r.outcome)));
  interruptions_.push_back(r.interruptions);
  reason_.push_back(reasons_.code(r.reason));
  source_.push_back(sources_.code(r.source));
  class_.push_back(classes_.code(r.job_class));
  flops_.push_back(r.flops > 0 ? r.flops : kNaN);  // NaN as the CSV's empty cell: a job given as a run time
}

py::dict JobColumns::take() {
  py::dict d;
  d["id"] = to_array(std::move(id_));
  // Labels are per job: a list of str only when the workload has them (traces, job lists).
  if (any_label_) {
    py::list labels;
    for (const auto& l : label_) labels.append(py::str(l));
    d["label"] = labels;
  } else {
    d["label"] = py::none();
  }
  label_ = {};
  d["tenant"] = coded(std::move(tenant_), tenants_);
  d["submit"] = to_array(std::move(submit_));
  d["start"] = to_array(std::move(start_));
  d["end"] = to_array(std::move(end_));
  d["chips"] = to_array(std::move(chips_));
  d["factory"] = coded(std::move(factory_), factories_);
  d["status"] = coded(std::move(status_), statuses_);
  d["interruptions"] = to_array(std::move(interruptions_));
  d["reason"] = coded(std::move(reason_), reasons_);
  d["source"] = coded(std::move(source_), sources_);
  d["class"] = coded(std::move(class_), classes_);
  d["flops"] = to_array(std::move(flops_));
  return d;
}

void TimeseriesColumns::row(const TimeseriesRow& r) {
  time_s_.push_back(r.end_s);
  factory_.push_back(factories_.code(r.factory.empty() ? std::string_view("(all)") : r.factory));
  installed_.push_back(r.installed_chips);
  busy_.push_back(r.busy_chips);
  idle_.push_back(r.idle_chips);
  down_.push_back(r.down_chips);
  maintenance_.push_back(r.maintenance_chips);
  // The queue and running jobs are figures of the totals row only (empty in the CSV).
  queued_.push_back(r.factory.empty() ? r.queued_jobs : kNaN);
  running_.push_back(r.factory.empty() ? r.running_jobs : kNaN);
  accel_mw_.push_back(r.accelerator_power_mw);
  facility_mw_.push_back(r.facility_power_mw);
  inference_.push_back(r.inference_chips);
}

py::dict TimeseriesColumns::take() {
  py::dict d;
  d["time_s"] = to_array(std::move(time_s_));
  d["factory"] = coded(std::move(factory_), factories_);
  d["installed_chips"] = to_array(std::move(installed_));
  d["busy_chips"] = to_array(std::move(busy_));
  d["idle_chips"] = to_array(std::move(idle_));
  d["down_chips"] = to_array(std::move(down_));
  d["maintenance_chips"] = to_array(std::move(maintenance_));
  d["queued_jobs"] = to_array(std::move(queued_));
  d["running_jobs"] = to_array(std::move(running_));
  d["accelerator_power_mw"] = to_array(std::move(accel_mw_));
  d["facility_power_mw"] = to_array(std::move(facility_mw_));
  d["inference_chips"] = to_array(std::move(inference_));
  return d;
}

}  // namespace gigasim::python
