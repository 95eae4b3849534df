// ringcheck stress: the sanitizers' defaults for the runner (the *SAN_OPTIONS variables override them).
//   TSan: halt_on_error=1, so the first race ends the run: the death callback then notes it in the
//         reproducer folder and a seed search or replay stops at the failure it was looking for.
//   ASan: detect_leaks=1 (also checked after every run, so a leak names its run).
//   UBSan: print_stacktrace=1; the build uses -fno-sanitize-recover=all, so a report is fatal.
#if defined(__SANITIZE_THREAD__)
#define RINGCHECK_STRESS_TSAN 1
#elif defined(__SANITIZE_ADDRESS__)
#define RINGCHECK_STRESS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RINGCHECK_STRESS_TSAN 1
#elif __has_feature(address_sanitizer)
#define RINGCHECK_STRESS_ASAN 1
#endif
#endif

#if defined(RINGCHECK_STRESS_TSAN)
extern "C" const char* __tsan_default_options() { return "halt_on_error=1:second_deadlock_stack=1"; }
#endif
#if defined(RINGCHECK_STRESS_ASAN)
extern "C" const char* __asan_default_options() { return "detect_leaks=1"; }
extern "C" const char* __ubsan_default_options() { return "print_stacktrace=1:halt_on_error=1"; }
#endif
