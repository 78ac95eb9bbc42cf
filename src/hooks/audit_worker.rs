//! The audit worker's lifetime, for the whole page. Every page's job hook forks its own channel
//! (its own reactor) from the worker this provider holds. When the worker dies (its panic hook
//! says so on the `mia-audit-worker` broadcast channel) it is replaced at once, and the jobs it
//! was running end with [`crate::protocol::JobError::WorkerLost`]. When its memory grew past
//! [`MEMORY_LIMIT_BYTES`] (WebAssembly memory only grows), it is replaced as soon as no page has a
//! job running, so the tab gives the memory back.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::rc::Rc;

use yew::prelude::*;
use yew_agent::reactor::{ReactorBridge, ReactorSpawner};

use crate::protocol::codec::BulkBincode;
use crate::worker::code::WorkerCode;
use crate::worker::reactor::AuditReactor;

/// A worker whose WebAssembly memory has grown past this is replaced once idle (1 GiB).
pub const MEMORY_LIMIT_BYTES: u64 = 1 << 30;

/// The broadcast channel on which a dying worker says so (same origin, in-browser only).
pub use crate::worker::lifecycle::DEATH_CHANNEL;

/// The worker the pages share, and what the provider knows of its pages' jobs.
#[derive(Clone)]
pub struct AuditWorker {
    /// Counts the workers started; a page forks a new channel when it changes.
    pub generation: u32,
    held: Rc<ReactorBridge<AuditReactor>>,
    life: Rc<Lifecycle>,
    code: Rc<WorkerCode>,
}

impl PartialEq for AuditWorker {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation
    }
}

/// Which pages have a job running, and whether the worker should be replaced when none has.
#[derive(Default)]
struct Lifecycle {
    running: RefCell<HashSet<usize>>,
    memory_high: Cell<bool>,
    next_page: Cell<usize>,
    restart: RefCell<Option<Callback<()>>>,
    /// The worker has answered: the page may lock its connections down, once the worker's code
    /// is in memory for a replacement.
    answered: Cell<bool>,
}

impl AuditWorker {
    /// A new channel (a reactor of its own) to the current worker.
    pub fn fork(&self) -> ReactorBridge<AuditReactor> {
        self.held.fork()
    }

    /// A number naming one page's job hook.
    pub fn register_page(&self) -> usize {
        let id = self.life.next_page.get();
        self.life.next_page.set(id + 1);
        id
    }

    /// The worker answered a page: from now on nothing needs the network. The page locks its
    /// connections down once the worker's code is in memory (or could not be read).
    pub fn answered(&self) {
        if !self.life.answered.replace(true) {
            self.code.when_settled(crate::csp::lock_down_connections);
        }
    }

    /// Page `page` started a job.
    pub fn job_started(&self, page: usize) {
        self.life.running.borrow_mut().insert(page);
    }

    /// Page `page`'s job ended; the worker reported `memory` bytes. Replaces a worker grown past
    /// the limit once no page has a job running.
    pub fn job_ended(&self, page: usize, memory: u64) {
        self.life.running.borrow_mut().remove(&page);
        if memory > memory_limit() {
            self.life.memory_high.set(true);
        }
        if self.life.memory_high.get() && self.life.running.borrow().is_empty() {
            self.life.memory_high.set(false);
            let restart = self.life.restart.borrow().clone();
            if let Some(r) = restart {
                r.emit(());
            }
        }
    }
}

/// [`MEMORY_LIMIT_BYTES`], unless a test has set `globalThis.__miaWorkerMemoryLimit` (bytes) to
/// see a replacement without filling a gigabyte.
fn memory_limit() -> u64 {
    js_sys::Reflect::get(&js_sys::global(), &"__miaWorkerMemoryLimit".into())
        .ok()
        .and_then(|v| v.as_f64())
        .map_or(MEMORY_LIMIT_BYTES, |v| v as u64)
}

#[derive(Properties, PartialEq)]
pub struct AuditWorkerProviderProps {
    /// The worker script's URL.
    pub path: AttrValue,
    pub children: Html,
}

/// Starts the audit worker, replaces it when it dies or has grown too large, and gives the
/// pages below their channels to it.
#[component]
pub fn AuditWorkerProvider(props: &AuditWorkerProviderProps) -> Html {
    let generation = use_state(|| 0u32);
    let life = use_memo((), |_| Lifecycle::default());
    let code = use_memo(props.path.clone(), |path| WorkerCode::load(path));
    let held = use_memo((props.path.clone(), *generation), {
        let code = code.clone();
        move |(path, generation)| {
            let spawner = ReactorSpawner::<AuditReactor>::new()
                .as_module(false)
                .encoding::<BulkBincode>();
            // The first worker loads from the server; a replacement from memory (the page's
            // connections are locked down by then).
            match (*generation > 0).then(|| code.blob_url("")).flatten() {
                Some(url) => spawner.with_loader(true).spawn(&url),
                None => spawner.spawn(path),
            }
        }
    });
    {
        let generation = generation.clone();
        *life.restart.borrow_mut() = Some(Callback::from(move |_| generation.set(*generation + 1)));
    }
    // A worker that dies says so on the broadcast channel: start another.
    {
        let life = life.clone();
        use_effect_with((), move |_| {
            let channel = web_sys::BroadcastChannel::new(DEATH_CHANNEL).ok();
            let listener = channel.as_ref().map(|c| {
                gloo_events::EventListener::new(c, "message", move |_| {
                    life.running.borrow_mut().clear();
                    let restart = life.restart.borrow().clone();
                    if let Some(r) = restart {
                        r.emit(());
                    }
                })
            });
            move || {
                drop(listener);
                if let Some(c) = channel {
                    c.close();
                }
            }
        });
    }
    let worker = AuditWorker {
        generation: *generation,
        held: held.clone(),
        life: life.clone(),
        code: (*code).clone(),
    };
    html! {
        <ContextProvider<AuditWorker> context={worker}>
            { props.children.clone() }
        </ContextProvider<AuditWorker>>
    }
}
