// bench/coherence: which lines of each queue are its producer index, its consumer index and its
// slots. The benchmark's wrappers (bench/queues.hpp) and the queues keep these members private,
// so they are reached with the explicit-instantiation rule ([temp.spec]: access is not checked in
// the template arguments of an explicit instantiation), without copying or patching any queue.
// Lines of the queue object (and its blocks) that are none of these register as "other".
#pragma once

#include <cstddef>
#include <cstdint>

#include "line_sim.hpp"
#include "../queues.hpp"  // relative: bench/ also holds a script named compare

namespace coh {

/// Defines member_of(Tag{}) as the pointer to member `Member`, whatever its access.
template <class Tag, auto Member>
struct private_member {
    friend constexpr auto member_of(Tag) { return Member; }
};

/// The tag of one member of a class template instance: member_of(field_of<Owner, F>{}) is that
/// member's pointer once COH_* below instantiates private_member for it.
enum class field { wrapped_queue, tail, head, slots, slot_count };
template <class Owner, field F>
struct field_of {
    friend constexpr auto member_of(field_of);
};

#define COH_EXPOSE(TAG, ...)                  \
    struct TAG {                              \
        friend constexpr auto member_of(TAG); \
    };                                        \
    template struct private_member<TAG, &__VA_ARGS__>

template <class T>
void register_object(line_class c, const T& object) {
    register_lines(c, &object, sizeof object);
}

// ---- ringcheck::spsc_ring (its capacity is a run-time value: one type per memory-order set) ----

#define COH_EXPOSE_SPSC_RING(...)                                                       \
    template struct private_member<field_of<__VA_ARGS__, field::tail>, &__VA_ARGS__::tail_>;       \
    template struct private_member<field_of<__VA_ARGS__, field::head>, &__VA_ARGS__::head_>;       \
    template struct private_member<field_of<__VA_ARGS__, field::slots>, &__VA_ARGS__::slots_>;     \
    template struct private_member<field_of<__VA_ARGS__, field::slot_count>, &__VA_ARGS__::slot_count_>

using spsc_ring_u64 = ringcheck::spsc_ring<std::uint64_t>;
using spsc_unfenced_u64 = ringcheck::spsc_ring<std::uint64_t, ringcheck::std_sync, ringbench::spsc_unfenced_orders>;
COH_EXPOSE_SPSC_RING(spsc_ring_u64);
COH_EXPOSE_SPSC_RING(spsc_unfenced_u64);

template <class Ring>
void register_ring(const Ring& ring) {
    register_object(line_class::producer_index, ring.*member_of(field_of<Ring, field::tail>{}));
    register_object(line_class::consumer_index, ring.*member_of(field_of<Ring, field::head>{}));
    const auto& slots = ring.*member_of(field_of<Ring, field::slots>{});
    register_lines(line_class::slots, slots.get(), ring.*member_of(field_of<Ring, field::slot_count>{}) * sizeof slots[0]);
    register_object(line_class::other, ring);
}

// ---- ringcheck::mpmc_ring, driven by one producer and one consumer: tail_ and head_ are claimed
// by CAS, every slot holds its stamp beside its element ----

using mpmc_ring_u64 = ringcheck::mpmc_ring<std::uint64_t>;
template struct private_member<field_of<mpmc_ring_u64, field::tail>, &mpmc_ring_u64::tail_>;
template struct private_member<field_of<mpmc_ring_u64, field::head>, &mpmc_ring_u64::head_>;
template struct private_member<field_of<mpmc_ring_u64, field::slots>, &mpmc_ring_u64::slots_>;
template struct private_member<field_of<mpmc_ring_u64, field::slot_count>, &mpmc_ring_u64::capacity_>;

// ---- boost::lockfree::spsc_queue: indices in ringbuffer_base, the storage right after them ----

#if defined(RINGBENCH_HAVE_BOOST)
using boost_base_u64 = boost::lockfree::detail::ringbuffer_base<std::uint64_t>;
COH_EXPOSE(boost_write_index, boost_base_u64::write_index_);
COH_EXPOSE(boost_read_index, boost_base_u64::read_index_);

template <class Q>
void register_boost(const Q& queue) {
    const boost_base_u64& base = queue;
    const auto& read_index = base.*member_of(boost_read_index{});
    register_object(line_class::producer_index, base.*member_of(boost_write_index{}));
    register_object(line_class::consumer_index, read_index);  // its line also holds the first slots
    const auto* storage = reinterpret_cast<const char*>(&read_index + 1);  // storage_ follows the base
    register_lines(line_class::slots, storage, reinterpret_cast<const char*>(&queue + 1) - storage);
}
#endif

// ---- atomic_queue::AtomicQueue2: head_ (push side) and tail_ (pop side), then states + elements ----

#if defined(RINGBENCH_HAVE_ATOMIC_QUEUE)
template <class Q, class HeadTag, class TailTag>
void register_atomic_queue(const Q& queue) {
    const auto& head = queue.*member_of(HeadTag{});
    const auto& tail = queue.*member_of(TailTag{});
    register_object(line_class::producer_index, head);
    register_object(line_class::consumer_index, tail);
    const auto* after_indices = reinterpret_cast<const char*>(&tail + 1);  // states_, then elements_
    register_lines(line_class::slots, after_indices, reinterpret_cast<const char*>(&queue + 1) - after_indices);
}
#endif

// ---- moodycamel::ReaderWriterQueue: a circle of blocks, each with its own front/tail lines ----

#if defined(RINGBENCH_HAVE_READERWRITERQUEUE)
using rwq_u64 = moodycamel::ReaderWriterQueue<std::uint64_t>;
COH_EXPOSE(rwq_front_block, rwq_u64::frontBlock);
COH_EXPOSE(rwq_tail_block, rwq_u64::tailBlock);

/// The block pointers are block-level indices: the consumer moves frontBlock, the producer tailBlock.
inline void register_rwq(const rwq_u64& queue) {
    register_object(line_class::consumer_index, queue.*member_of(rwq_front_block{}));
    register_object(line_class::producer_index, queue.*member_of(rwq_tail_block{}));
    const auto first = (queue.*member_of(rwq_front_block{})).load();
    auto block = first;
    do {
        register_lines(line_class::consumer_index, &block->front, sizeof block->front + sizeof block->localTail);
        register_lines(line_class::producer_index, &block->tail, sizeof block->tail + sizeof block->localFront);
        // Before the slots: the header's last line (next, data, sizeMask) also holds the first slots.
        register_object(line_class::other, *block);
        register_lines(line_class::slots, block->data, (block->sizeMask + 1) * sizeof(std::uint64_t));
        block = block->next.load();
    } while (block != first);
    register_object(line_class::other, queue);
}
#endif

}  // namespace coh
