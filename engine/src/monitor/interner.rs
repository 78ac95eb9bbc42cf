//! Input hashes numbered for the streaming detector, and forgotten once no window holds them, so a
//! long stream of distinct inputs does not grow memory (a replay of a whole log numbers its inputs
//! once, in [`QueryLog`](super::QueryLog), and needs none of this).

use std::sync::Arc;

use super::fast_hash::FxHashMap;

/// Input hashes and their ids, each with the number of window entries that refer to it.
#[derive(Debug, Clone, Default)]
pub struct InputInterner {
    /// The map and the slot share one allocation of each hash.
    ids: FxHashMap<Arc<str>, u32>,
    /// By id: the hash and its references (0: the id is free).
    slots: Vec<(Arc<str>, u32)>,
    free: Vec<u32>,
}

impl InputInterner {
    /// The id of `hash`, taking one reference to it; `None` when 2³² ids are in use.
    pub fn acquire(&mut self, hash: &str) -> Option<u32> {
        if let Some(&id) = self.ids.get(hash) {
            self.slots[id as usize].1 += 1;
            return Some(id);
        }
        let name: Arc<str> = hash.into();
        let id = match self.free.pop() {
            Some(id) => {
                self.slots[id as usize] = (name.clone(), 1);
                id
            }
            None => {
                let id = u32::try_from(self.slots.len()).ok()?;
                self.slots.push((name.clone(), 1));
                id
            }
        };
        self.ids.insert(name, id);
        Some(id)
    }

    /// Gives back one reference to `id`; the last one forgets the hash.
    pub fn release(&mut self, id: u32) {
        let Some(slot) = self.slots.get_mut(id as usize) else {
            return;
        };
        if slot.1 == 0 {
            return;
        }
        slot.1 -= 1;
        if slot.1 == 0 {
            let hash = std::mem::replace(&mut slot.0, Arc::from(""));
            self.ids.remove(&*hash);
            self.free.push(id);
            if self.ids.capacity() > 64 && self.ids.len() * 4 < self.ids.capacity() {
                self.ids.shrink_to(self.ids.len() * 2);
            }
        }
    }

    /// The hash of `id` (empty once forgotten).
    pub fn name(&self, id: u32) -> &str {
        self.slots.get(id as usize).map_or("", |s| &s.0)
    }

    /// Hashes held.
    pub fn live(&self) -> usize {
        self.ids.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_reused_once_released() {
        let mut i = InputInterner::default();
        let a = i.acquire("a").unwrap();
        assert_eq!(i.acquire("a"), Some(a));
        let b = i.acquire("b").unwrap();
        i.release(a);
        assert_eq!((i.live(), i.name(a)), (2, "a"));
        i.release(a);
        assert_eq!((i.live(), i.name(a)), (1, ""));
        assert_eq!(i.acquire("c"), Some(a));
        assert_eq!(i.name(b), "b");
    }
}
