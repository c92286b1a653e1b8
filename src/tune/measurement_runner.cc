#include "tune/measurement_runner.h"

#include <atomic>
#include <mutex>
#include <thread>

namespace kiln {

void LocalRunner::Run(const std::vector<MeasureJob>& jobs, const MeasurementDone& done) {
  std::atomic<size_t> next{0};
  std::mutex mutex;  // one `done` at a time
  bool stop = false;
  auto worker = [&] {
    for (size_t i = next++; i < jobs.size(); i = next++) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (stop) return;
      }
      const LayerMeasurement m = MeasureLayer(*jobs[i].task, jobs[i].task->space[jobs[i].candidate], board_, options_);
      std::lock_guard<std::mutex> lock(mutex);
      if (!done(i, m)) stop = true;
    }
  };
  std::vector<std::thread> threads;
  for (int k = 0; k < std::min<int>(jobs_, static_cast<int>(jobs.size())); ++k) threads.emplace_back(worker);
  for (std::thread& t : threads) t.join();
}

}  // namespace kiln
