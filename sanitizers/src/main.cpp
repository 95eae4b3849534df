// ringcheck-stress: stress runs of the registered queues under the sanitizers.
#include "ringcheck/stress/registry.hpp"

int main(int argc, char** argv) {
    return ringcheck::stress::stress_main(argc, argv, ringcheck::stress::builtin_registry());
}
