// SearcherPool over a real index of corpus/:
//  - a Lease gives a working Searcher and returns it when destroyed; the
//    next Acquire() gets the same one back (warm caches are reused);
//  - no more than `capacity` Searchers ever exist, even with many threads
//    acquiring at once, and every thread's search succeeds;
//  - with all Searchers lent, Acquire() waits, and gives up with kBusy
//    after max_wait; a returned Searcher wakes a waiter at once;
//  - waiters are served first come, first served;
//  - a missing index is kNotFound and does not use up a slot.
#include "web/searcher_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "indexer/indexer.h"
#include "test_util.h"

namespace pundit {
namespace {

using std::chrono::milliseconds;

class SearcherPoolTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new testing::TempDir();
    IndexerOptions options;
    options.db_dir = tmp_->Sub("db");
    options.inputs = {testing::CorpusPath("")};
    options.jobs = 1;
    Result<IndexSummary> summary = RunIndex(options);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }
  static SearcherOptions Options() { return SearcherOptions{tmp_->Sub("db")}; }

  static testing::TempDir* tmp_;
};
testing::TempDir* SearcherPoolTest::tmp_ = nullptr;

TEST_F(SearcherPoolTest, LeaseSearchesAndIsReusedAfterReturn) {
  SearcherPool pool(Options(), 2);
  Searcher* first = nullptr;
  {
    Result<SearcherPool::Lease> lease = pool.Acquire();
    ASSERT_TRUE(lease.ok()) << lease.status().ToString();
    ASSERT_TRUE(static_cast<bool>(*lease));
    SearchRequest request;
    request.q = "compromise";
    Result<SearchResponse> r = (*lease)->Search(request);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_GE(r->total, 1u);
    first = lease->get();
  }
  Result<SearcherPool::Lease> again = pool.Acquire();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->get(), first);
  EXPECT_EQ(pool.created(), 1u);
}

TEST_F(SearcherPoolTest, MovedLeaseReturnsOnce) {
  SearcherPool pool(Options(), 1, milliseconds(50));
  {
    Result<SearcherPool::Lease> a = pool.Acquire();
    ASSERT_TRUE(a.ok());
    SearcherPool::Lease moved = std::move(*a);
    EXPECT_FALSE(static_cast<bool>(*a));
    EXPECT_TRUE(static_cast<bool>(moved));
    // Still lent: a second Acquire cannot have it.
    Result<SearcherPool::Lease> b = pool.Acquire();
    EXPECT_FALSE(b.ok());
  }
  Result<SearcherPool::Lease> c = pool.Acquire();
  EXPECT_TRUE(c.ok());
  EXPECT_EQ(pool.created(), 1u);
}

TEST_F(SearcherPoolTest, ManyThreadsNeverCreateMoreThanCapacity) {
  SearcherPool pool(Options(), 3);
  std::atomic<int> ok{0}, failed{0}, in_use{0}, max_in_use{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        Result<SearcherPool::Lease> lease = pool.Acquire();
        if (!lease.ok()) {
          ++failed;
          continue;
        }
        int now = ++in_use;
        int seen = max_in_use.load();
        while (now > seen && !max_in_use.compare_exchange_weak(seen, now)) {
        }
        SearchRequest request;
        request.q = i % 2 ? "election" : "trade";
        if ((*lease)->Search(request).ok()) ++ok;
        --in_use;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(ok.load(), 12 * 20);
  EXPECT_LE(max_in_use.load(), 3);
  EXPECT_LE(pool.created(), 3u);
  EXPECT_GE(pool.created(), 1u);
}

TEST_F(SearcherPoolTest, FullPoolWaitsThenIsBusy) {
  SearcherPool pool(Options(), 1, milliseconds(200));
  Result<SearcherPool::Lease> held = pool.Acquire();
  ASSERT_TRUE(held.ok());
  auto start = std::chrono::steady_clock::now();
  Result<SearcherPool::Lease> refused = pool.Acquire();
  auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Status::Code::kBusy);
  EXPECT_NE(refused.status().message().find("retry later"), std::string::npos);
  EXPECT_GE(waited, milliseconds(200));
}

TEST_F(SearcherPoolTest, ReturnedSearcherWakesAWaiter) {
  SearcherPool pool(Options(), 1, std::chrono::seconds(60));
  Result<SearcherPool::Lease> held = pool.Acquire();
  ASSERT_TRUE(held.ok());
  Searcher* lent = held->get();
  std::atomic<bool> done{false};
  Searcher* got = nullptr;
  std::thread waiter([&] {
    Result<SearcherPool::Lease> lease = pool.Acquire();
    if (lease.ok()) got = lease->get();
    done = true;
  });
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_FALSE(done.load()) << "Acquire did not wait for the lent Searcher";
  *held = SearcherPool::Lease();  // return it
  waiter.join();
  EXPECT_EQ(got, lent);
}

TEST_F(SearcherPoolTest, WaitersAreServedInArrivalOrder) {
  SearcherPool pool(Options(), 1, std::chrono::seconds(60));
  Result<SearcherPool::Lease> held = pool.Acquire();
  ASSERT_TRUE(held.ok());
  std::mutex mu;
  std::vector<int> order;
  std::vector<std::thread> waiters;
  for (int i = 0; i < 4; ++i) {
    waiters.emplace_back([&, i] {
      Result<SearcherPool::Lease> lease = pool.Acquire();
      if (!lease.ok()) return;
      std::lock_guard<std::mutex> lock(mu);
      order.push_back(i);
    });
    // Each waiter is in line before the next one comes.
    std::this_thread::sleep_for(milliseconds(50));
  }
  *held = SearcherPool::Lease();
  for (std::thread& t : waiters) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(pool.created(), 1u);
}

TEST_F(SearcherPoolTest, MissingIndexIsNotFoundAndFreesTheSlot) {
  testing::TempDir empty;
  SearcherPool pool(SearcherOptions{empty.Sub("none")}, 1, milliseconds(50));
  for (int i = 0; i < 3; ++i) {
    Result<SearcherPool::Lease> lease = pool.Acquire();
    ASSERT_FALSE(lease.ok());
    EXPECT_EQ(lease.status().code(), Status::Code::kNotFound)
        << lease.status().ToString();
  }
  EXPECT_EQ(pool.created(), 0u);
}

TEST_F(SearcherPoolTest, DefaultCapacityIsTwiceTheCoresAtLeastTwo) {
  SearcherPool pool(Options());
  EXPECT_EQ(pool.capacity(),
            std::max<size_t>(2, 2 * std::thread::hardware_concurrency()));
}

}  // namespace
}  // namespace pundit
