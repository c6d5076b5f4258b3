#pragma once
// Tells ThreadSanitizer about an ordering between threads that a library it cannot see into makes.
// Debian's TBB is not built with ThreadSanitizer, so a task enqueued on a tbb::task_arena reaches its
// worker thread through synchronisation TSan never observes, and everything the enqueuing thread wrote
// before (the request the task carries) would be reported as a race with the worker reading it.
//
//   hand_over(token, [&] { arena.enqueue(task); });   // the enqueuing thread
//   handoff_acquire(token);                            // the task, before it reads anything it captured
//
// hand_over releases `token` and then runs the enqueue with this thread's writes unrecorded: TBB
// builds the task object inside that call, after any release could be placed, and the object (which
// only the worker reads afterwards) would otherwise be reported. The captured data the task reads was
// written before the release. In a build without ThreadSanitizer both are plain calls.
#include <utility>

#if defined(__SANITIZE_THREAD__)
#define NAS_THREAD_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define NAS_THREAD_SANITIZER 1
#endif
#endif

#ifdef NAS_THREAD_SANITIZER
extern "C" void __tsan_acquire(void* address);
extern "C" void __tsan_release(void* address);
extern "C" void AnnotateIgnoreWritesBegin(const char* file, int line);
extern "C" void AnnotateIgnoreWritesEnd(const char* file, int line);
#endif

namespace nas {

template <class Enqueue>
void hand_over([[maybe_unused]] void* token, Enqueue&& enqueue) {
#ifdef NAS_THREAD_SANITIZER
  __tsan_release(token);
  AnnotateIgnoreWritesBegin(__FILE__, __LINE__);
  std::forward<Enqueue>(enqueue)();
  AnnotateIgnoreWritesEnd(__FILE__, __LINE__);
#else
  std::forward<Enqueue>(enqueue)();
#endif
}

inline void handoff_acquire([[maybe_unused]] void* token) {
#ifdef NAS_THREAD_SANITIZER
  __tsan_acquire(token);
#endif
}

}  // namespace nas
