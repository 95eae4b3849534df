// The adapters through which ringcheck drives the article's ring (its queue_under_test concept),
// each also as a template over the sync backend (SYNC_ADAPTER): ringcheck instantiates it with its
// Relacy backend for the models, its deterministic scheduler for the schedule fuzzer, and a
// perturbing backend for the stress runs.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "article/ring_buffer.hpp"
#include "article/ring_buffer_broken.hpp"

namespace own_queue {

template <class Ring>
struct article_adapter {
    static constexpr std::string_view contract = "linearizable";
    static constexpr unsigned max_producers = 1, max_consumers = 1;  // single producer, single consumer
    // One slot always stays empty: asked for `capacity` elements, the adapter gives the ring one slot
    // more, and capacity() reports what the ring really holds (slots - 1). That is a fact of this
    // design, not a bug; a ring claiming all its slots would be caught reporting "full" early.
    explicit article_adapter(std::size_t capacity) : ring(capacity + 1) {}
    std::size_t capacity() const { return ring.slots() - 1; }
    bool try_push(std::uint64_t v) { return ring.push(v); }
    std::optional<std::uint64_t> try_pop() { return ring.pop(); }
    Ring ring;
};

template <class Sync>
struct ring_buffer_adapter_over : article_adapter<article::ring_buffer<std::uint64_t, Sync>> {
    static constexpr std::string_view name = "article::ring_buffer";
    using ring_buffer_adapter_over::article_adapter::article_adapter;
};
using ring_buffer_adapter = ring_buffer_adapter_over<ringcheck::std_sync>;

template <class Sync>
struct broken_ring_buffer_adapter_over : article_adapter<article::ring_buffer_full_one_early<std::uint64_t, Sync>> {
    static constexpr std::string_view name = "article::ring_buffer_full_one_early (deliberately broken)";
    using broken_ring_buffer_adapter_over::article_adapter::article_adapter;
};
using broken_ring_buffer_adapter = broken_ring_buffer_adapter_over<ringcheck::std_sync>;

}  // namespace own_queue
