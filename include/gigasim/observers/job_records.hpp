#pragma once
// One JobRecord per job to a JobRecordSink, streamed as jobs complete or are rejected; jobs
// still waiting or running at the end are recorded then, in arrival order.
#include <optional>

#include "gigasim/engine/job_record.hpp"
#include "gigasim/engine/observer.hpp"

namespace gigasim {

class JobRecordsObserver final : public Observer {
 public:
  JobRecordsObserver(const RunView& view, JobRecordSink& sink) : view_(&view), sink_(sink) {}
  std::uint32_t interests() const override {
    return EventBit::JobRejected | EventBit::JobCompleted | EventBit::JobActiveAtEnd;
  }
  void job_rejected(const ActiveJob& j, const UnschedulableJob&) override;
  void job_completed(const ActiveJob& j) override;
  void job_active_at_end(const ActiveJob& j) override;

 private:
  void emit(const ActiveJob& j, JobOutcome outcome, std::optional<SimTime> end, std::string_view reason = {});
  const RunView* view_;
  JobRecordSink& sink_;
};

}  // namespace gigasim
