/* kb_heap.h: give a short-lived process its heap up front.
 *
 * A kb-query process lives 3-6 ms and much of that goes to first touches
 * of fresh memory: on our VM each heap page faulted in alone costs ~10 us
 * (trap, allocation, clearing, the host backing the page). Populated
 * together the same pages cost ~4 us each, and one transparent huge page
 * holds 512 of them for a single fault and a 2 MB clear (~0.25 ms).
 *
 * Best effort and invisible to the rest of the program: memory still comes
 * from malloc() and goes back with free(); only where it lies and when its
 * pages become resident change. Where free memory is too fragmented for a
 * huge page, the kernel may compact it first or fall back to small pages,
 * as /sys/kernel/mm/transparent_hugepage/defrag says; the fallback is
 * detected and the small pages are populated instead. */
#ifndef KB_HEAP_H
#define KB_HEAP_H

#include <stddef.h>

enum kb_heap_how {
    KB_HEAP_AS_IS = 0,     /* nothing done: not glibc's malloc, or no way to populate */
    KB_HEAP_POPULATED = 1, /* the next `bytes` of heap were made resident in 4 KB pages */
    KB_HEAP_HUGE_PAGE = 2  /* the next 2 MB of heap lie in one resident huge page */
};

/* Makes at least the next `bytes` (at most 2 MB) that malloc hands out
 * resident now, and keeps freed heap in the heap instead of returning it
 * to the kernel. Call once, early, in a process that allocates from one
 * thread. Returns how (enum kb_heap_how). */
int kb_heap_prefault(size_t bytes);

#endif
