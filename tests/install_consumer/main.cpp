#include <ringcheck/locked_ring.hpp>
#include <ringcheck/mpmc_ring.hpp>
#include <ringcheck/spsc_ring.hpp>

int main() {
    ringcheck::spsc_ring<int> a(2);
    ringcheck::mpmc_ring<int> b(2);
    ringcheck::locked_ring<int> c(2);
    const bool ok = a.try_push(1) && b.try_push(2) && c.try_push(3) && a.try_pop() == 1 &&
                    b.try_pop() == 2 && c.try_pop() == 3;
    return ok ? 0 : 1;
}
