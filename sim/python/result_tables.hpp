#pragma once
// A run's per-job records and time series as columns (numpy arrays), the tables Python users
// get instead of CSV files to parse. Names (tenants, factories, outcomes) are stored as small
// codes into a list of names, which Python turns into arrays without a string per row.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "gigasim/engine/job_record.hpp"

namespace gigasim::python {

namespace py = pybind11;

/// Codes for a handful of distinct names, in order of first sight.
class NameCodes {
 public:
  std::int32_t code(std::string_view name);
  py::list names() const;

 private:
  std::vector<std::string> names_;
};

/// The columns of `run --jobs-csv`, one entry per job record.
class JobColumns final : public JobRecordSink {
 public:
  void record(const JobRecord& r) override;
  /// {"id": array, "label": list, "tenant": (codes, names), ...}; see python/gigasim/__init__.py.
  py::dict take();

 private:
  std::vector<std::uint64_t> id_;
  std::vector<std::string> label_;
  bool any_label_ = false;
  std::vector<double> submit_, start_, end_, flops_;
  std::vector<std::uint32_t> chips_, interruptions_;
  std::vector<std::int32_t> tenant_, factory_, status_, reason_, source_, class_;
  NameCodes tenants_, factories_, statuses_, reasons_, sources_, classes_;
};

/// The columns of `run --timeseries`, one entry per row (per factory, then the totals row with
/// factory "(all)").
class TimeseriesColumns final : public TimeseriesSink {
 public:
  void row(const TimeseriesRow& r) override;
  py::dict take();

 private:
  std::vector<double> time_s_, installed_, busy_, idle_, down_, maintenance_, queued_, running_, accel_mw_, facility_mw_,
      inference_;
  std::vector<std::int32_t> factory_;
  NameCodes factories_;
};

}  // namespace gigasim::python
