//! One order-keeping parallel map for the CPU-bound passes (hashing images, reading model
//! files, spelling corrections, bootstrap streams): one scoped thread per core takes the
//! next few items as it finishes, and a panic in any thread is re-raised in the caller,
//! never turned into missing results.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` over every item, the items split over as many threads as there are cores (the
/// calling thread is one of them); results in item order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_with(items, || (), |(), item| f(item))
}

/// [`map`] where each thread first makes its own scratch state with `state` (a buffer to
/// reuse, say) and hands it to `f` with every item it takes. Threads take the next few
/// items as they finish, so uneven items (files of many sizes) keep every core busy.
pub fn map_with<T: Sync, R: Send, S>(
    items: &[T],
    state: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(items.len());
    if threads <= 1 {
        let mut scratch = state();
        return items.iter().map(|item| f(&mut scratch, item)).collect();
    }
    let batch = (items.len() / (threads * 8)).max(1);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut scratch = state();
        let mut done = Vec::new();
        loop {
            let start = next.fetch_add(batch, Ordering::Relaxed);
            if start >= items.len() {
                return done;
            }
            let part = &items[start..(start + batch).min(items.len())];
            done.push((
                start,
                part.iter().map(|item| f(&mut scratch, item)).collect::<Vec<R>>(),
            ));
        }
    };
    let mut parts = std::thread::scope(|scope| {
        let work = &work;
        let others: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut parts = work();
        for handle in others {
            match handle.join() {
                Ok(more) => parts.extend(more),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        parts
    });
    parts.sort_unstable_by_key(|(start, _)| *start);
    parts.into_iter().flat_map(|(_, part)| part).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_items_order() {
        let items: Vec<u32> = (0..1001).collect();
        assert_eq!(
            super::map(&items, |x| x * 2),
            items.iter().map(|x| x * 2).collect::<Vec<_>>()
        );
        assert!(super::map(&[] as &[u32], |x| *x).is_empty());
    }

    #[test]
    fn each_thread_makes_its_scratch_state_once_and_reuses_it() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let made = AtomicUsize::new(0);
        let items: Vec<u32> = (0..500).collect();
        let doubled = super::map_with(
            &items,
            || {
                made.fetch_add(1, Ordering::Relaxed);
                Vec::<u32>::new()
            },
            |seen, &x| {
                seen.push(x);
                x * 2
            },
        );
        assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert!(
            made.load(Ordering::Relaxed) <= cores,
            "one scratch state per thread"
        );
    }

    #[test]
    fn a_panic_in_any_share_reaches_the_caller() {
        let items: Vec<u32> = (0..64).collect();
        let caught =
            std::panic::catch_unwind(|| super::map(&items, |&x| if x == 63 { panic!("boom") } else { x }));
        assert!(caught.is_err(), "a lost share would have been silent");
    }
}
