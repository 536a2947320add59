//! One order-keeping parallel map for the CPU-bound passes (hashing images, spelling
//! corrections, bootstrap streams): the work is split over the cores with scoped threads,
//! and a panic in any share is re-raised in the caller, never turned into missing results.

/// `f` over every item, the items split over as many threads as there are cores (the
/// calling thread takes the first share); results in item order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(items.len());
    if threads <= 1 {
        return items.iter().map(&f).collect();
    }
    let share = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let f = &f;
        let others: Vec<_> = items
            .chunks(share)
            .skip(1)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out: Vec<R> = items[..share].iter().map(f).collect();
        for handle in others {
            match handle.join() {
                Ok(part) => out.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
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
    fn a_panic_in_any_share_reaches_the_caller() {
        let items: Vec<u32> = (0..64).collect();
        let caught =
            std::panic::catch_unwind(|| super::map(&items, |&x| if x == 63 { panic!("boom") } else { x }));
        assert!(caught.is_err(), "a lost share would have been silent");
    }
}
