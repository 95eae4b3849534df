// What the two exact searches (search.cpp over values, slot_search.cpp over
// anonymous slots) share: choice points, the memo of refuted states, budgets.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstring>
#include <utility>
#include <vector>

#include "huge_pages.hpp"
#include "internal.hpp"

namespace ringcheck::oracle::detail {

inline std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 33, x *= 0xff51afd7ed558ccdULL, x ^= x >> 33, x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

// A choice point at response event k: the moves cands[cand_begin, cand_end),
// `next` the next one to try; undo_mark restores the state it was made in.
struct search_frame {
    std::size_t undo_mark;
    std::uint32_t cand_begin, cand_end, next;
    std::size_t k;
};

// States with no linearization, under exact keys (event, placed open ops, the
// queue as words); the hash only picks the bucket. A queue is stored as the
// differences between its consecutive words, a byte or a few each (the slot
// search's words never decrease): a third of the memory, so a third of the
// fresh pages to fault in. Past its limit it stops remembering: slower, never wrong.
class refuted_states {
public:
    // `queue` writes the state's queue words into its argument; called only
    // when an entry with the same event and placed ops is found.
    template <class Queue>
    bool contains(std::uint64_t hash, std::size_t k, const std::vector<std::uint32_t>& placed, Queue&& queue,
                  std::vector<std::uint32_t>& scratch) const {
        if (index_.empty()) return false;
        bool encoded = false;
        const std::uint32_t tag = tag_of(hash);
        for (std::size_t i = tag & (index_.size() - 1);; i = (i + 1) & (index_.size() - 1)) {
            const entry& e = index_[i];
            if (e.k == empty_slot) return false;
            if (e.tag != tag || e.k != k || e.placed_count != placed.size()) continue;
            const std::uint8_t* d = blocks_[e.offset / block_bytes].data() + e.offset % block_bytes;
            if (!placed.empty() && std::memcmp(d, placed.data(), placed_bytes(placed)) != 0) continue;
            if (!encoded) queue(scratch), encode(scratch, probe_), encoded = true;
            if (e.queue_bytes == probe_.size() && std::equal(probe_.begin(), probe_.end(), d + placed_bytes(placed)))
                return true;
        }
    }
    void insert(std::uint64_t hash, std::size_t k, const std::vector<std::uint32_t>& placed,
                const std::vector<std::uint32_t>& queue) {
        encode(queue, probe_);
        const std::size_t bytes = placed_bytes(placed) + probe_.size();
        if (bytes > block_bytes) return;  // a state larger than a block is not remembered
        if (blocks_.empty() || blocks_.back().size() + bytes > block_bytes) {
            if ((blocks_.size() + 1) * block_bytes > limit) return;
            blocks_.emplace_back();
        }
        auto& block = blocks_.back();
        if (block.size() + bytes > block.capacity())  // small searches do not map a whole block
            block.reserve(std::min(block_bytes, std::max({block.size() + bytes, 2 * block.capacity(), std::size_t{16384}})));
        const std::size_t offset = (blocks_.size() - 1) * block_bytes + block.size();
        add_to_index(entry{tag_of(hash), static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(offset),
                           static_cast<std::uint32_t>(placed.size()), static_cast<std::uint32_t>(probe_.size())});
        ++entries_;
        const auto* p = reinterpret_cast<const std::uint8_t*>(placed.data());
        block.insert(block.end(), p, p + placed_bytes(placed));
        block.insert(block.end(), probe_.begin(), probe_.end());
    }
    bool empty() const { return entries_ == 0; }

private:
    static constexpr std::uint32_t empty_slot = ~std::uint32_t{0};  // no event number is this large
    struct entry {
        std::uint32_t tag;  // the hash folded to 32 bits: its low bits pick the bucket
        std::uint32_t k = empty_slot;
        std::uint32_t offset, placed_count, queue_bytes;
    };
    static std::uint32_t tag_of(std::uint64_t hash) { return static_cast<std::uint32_t>(hash ^ hash >> 32); }
    static std::size_t placed_bytes(const std::vector<std::uint32_t>& placed) { return 4 * placed.size(); }
    // Each word as its difference from the word before (zigzag, so small either
    // way) plus one, seven bits per byte, the high bit set on every byte but a
    // number's last; `none` (the value search's group end) as one zero byte,
    // which no number starts with. Differences are taken between other words.
    static void encode(const std::vector<std::uint32_t>& words, std::vector<std::uint8_t>& out) {
        out.clear();
        std::int64_t before = 0;
        for (std::uint32_t w : words) {
            if (w == none) {
                out.push_back(0);
                continue;
            }
            const std::int64_t d = std::int64_t{w} - before;
            auto z = static_cast<std::uint64_t>((d << 1) ^ (d >> 63)) + 1;
            for (; z >= 0x80; z >>= 7) out.push_back(static_cast<std::uint8_t>(z | 0x80));
            out.push_back(static_cast<std::uint8_t>(z));
            before = w;
        }
    }
    // Open addressing with linear probing, at most half full: one probe
    // sequence per look-up, no allocation per state.
    void add_to_index(const entry& e) {
        if (2 * (entries_ + 1) > index_.size()) {
            big_vector<entry> old(std::max<std::size_t>(1024, 2 * index_.size()));
            old.swap(index_);
            for (const entry& x : old)
                if (x.k != empty_slot) place(x);
        }
        place(e);
    }
    void place(const entry& e) {
        std::size_t i = e.tag & (index_.size() - 1);
        while (index_[i].k != empty_slot) i = (i + 1) & (index_.size() - 1);
        index_[i] = e;
    }
    big_vector<entry> index_;
    std::size_t entries_ = 0;
    mutable std::vector<std::uint8_t> probe_;  // the queue being looked up or inserted, encoded
    // The states' bytes, in blocks of at most one huge page: only the last one
    // grows (doubling, so a small search maps little), so no doubling copies
    // more than one block, as one growing vector would copy everything remembered.
    std::vector<big_vector<std::uint8_t>> blocks_;
    static constexpr std::size_t block_bytes = std::size_t{1} << 21;  // 2 MiB, one huge page
    static constexpr std::size_t limit = std::size_t{1} << 27;        // bytes in all blocks (128 MiB)
};

// Has the search's own budget (frames, refuted states; 0 = none) or the
// check's (frames over all searches, the deadline) run out, or was the search
// cancelled? The clock and the cancel flag are read every 4096 frames (the
// flag relaxed: it carries no data, and a cancelled search's result is dropped).
inline bool out_of_budget(std::size_t steps, std::size_t budget, std::size_t fails, std::size_t fail_budget,
                          search_limits& limits) {
    if ((budget && steps > budget) || (fail_budget && fails > fail_budget)) return true;
    if (limits.steps_used >= limits.max_steps ||
        ((steps & 4095) == 0 && (std::chrono::steady_clock::now() >= limits.deadline ||
                                 (limits.cancelled && limits.cancelled->load(std::memory_order_relaxed))))) {
        limits.exhausted = true;
        limits.out_of_steps = limits.steps_used >= limits.max_steps;
        return true;
    }
    return false;
}

// A search that stops undecided names the window still open: from the lowest
// choice point that was revisited (or the deepest point, if none was) to the deepest.
template <class Frames, class Order>
search_result gave_up_at(const Frames& frames, const Order& resp_order, std::uint32_t stuck) {
    search_result r{search_result::gave_up, stuck};
    r.window_first = r.window_last = stuck;
    for (const search_frame& f : frames)
        if (f.next - f.cand_begin > 1) {
            r.window_first = resp_order[f.k];
            break;
        }
    return r;
}

}  // namespace ringcheck::oracle::detail
