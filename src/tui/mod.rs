//! The terminal UI: input → action → update → view, with a worker thread that owns its own
//! database connection so the screen never waits on SQLite.

pub mod action;
pub mod app;
pub mod call_form;
pub mod clock;
pub mod context;
pub mod data;
pub mod date_field;
pub mod keymap;
pub mod palliative_form;
pub mod phone_form;
pub mod picker;
pub mod preparing;
pub mod theme;
mod views;

use app::App;
use color_eyre::eyre::{Result, WrapErr};
use context::AppContext;
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event as TermEvent};
use data::{Loaded, Request};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// Everything the UI thread waits for, on one channel.
enum Event {
    /// A key, mouse or resize event from the terminal.
    Terminal(TermEvent),
    /// An answer from the worker.
    Loaded(Loaded),
    /// The input thread stopped (terminal closed).
    InputClosed,
    /// SIGTERM, SIGHUP or SIGQUIT arrived: leave the loop so the terminal is restored.
    Terminate,
}

/// How often the worker checks whether another process changed the register.
const CHANGE_POLL: Duration = Duration::from_millis(500);

/// Runs the TUI until the user quits. The terminal is restored on return, on error and on panic
/// (color-eyre's hook is installed before `ratatui::init`, which chains its own restore).
pub fn run(ctx: AppContext) -> Result<()> {
    let ctx = Arc::new(ctx);
    // Open the worker's connection before touching the terminal, so a bad register is a plain error.
    let store =
        crate::store::Store::open_existing(&ctx.db_path).wrap_err("opening the register")?;
    let (event_tx, event_rx) = mpsc::channel::<Event>();
    let (request_tx, request_rx) = mpsc::channel::<Request>();
    spawn_worker(store, Arc::clone(&ctx), request_rx, event_tx.clone());

    spawn_signals(event_tx.clone())?;
    let mut terminal = ratatui::init();
    let _ = crossterm::execute!(std::io::stdout(), EnableMouseCapture);
    spawn_input(event_tx);
    let result = event_loop(&mut terminal, ctx, &event_rx, &request_tx);
    let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    ctx: Arc<AppContext>,
    events: &Receiver<Event>,
    requests: &Sender<Request>,
) -> Result<()> {
    let mut app = App::new(ctx);
    for r in app.initial_requests() {
        let _ = requests.send(r);
    }
    loop {
        let frame = terminal
            .draw(|frame| frame.render_widget(&app, frame.area()))
            .wrap_err("drawing the screen")?;
        app.resize(frame.area.width, frame.area.height);
        let Ok(event) = events.recv() else { break };
        let new_requests = match event {
            Event::Terminal(TermEvent::Key(key)) => app.on_key(key),
            Event::Terminal(TermEvent::Mouse(m)) => app.on_mouse(m),
            Event::Terminal(TermEvent::Paste(text)) => text
                .chars()
                .filter(|c| !c.is_control())
                .flat_map(|c| {
                    app.on_key(crossterm::event::KeyEvent::from(
                        crossterm::event::KeyCode::Char(c),
                    ))
                })
                .collect(),
            Event::Terminal(_) => Vec::new(),
            Event::Loaded(loaded) => app.on_loaded(loaded),
            Event::InputClosed | Event::Terminate => break,
        };
        for r in new_requests {
            let _ = requests.send(r);
        }
        if app.quit {
            break;
        }
    }
    Ok(())
}

/// Turns the signals that end a program politely (a `kill`, a closed SSH session) into an event,
/// so the loop ends and `run` restores the terminal instead of leaving it in raw mode.
#[cfg(unix)]
fn spawn_signals(events: Sender<Event>) -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGQUIT])
        .wrap_err("listening for the terminate signal")?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = events.send(Event::Terminate);
        }
    });
    Ok(())
}

/// Elsewhere the console closes the process itself; nothing to listen for.
#[cfg(not(unix))]
fn spawn_signals(_events: Sender<Event>) -> Result<()> {
    Ok(())
}

fn spawn_input(events: Sender<Event>) {
    std::thread::spawn(move || {
        loop {
            match event::read() {
                Ok(e) => {
                    if events.send(Event::Terminal(e)).is_err() {
                        break;
                    }
                }
                Err(_) => {
                    let _ = events.send(Event::InputClosed);
                    break;
                }
            }
        }
    });
}

/// Notices writes by other connections (another process, another nurse's instance) by polling
/// `PRAGMA data_version`: one cheap pragma, never a scan of any table.
pub struct ChangeWatcher {
    seen: Option<i64>,
}

impl ChangeWatcher {
    /// Starts watching from the register's current state.
    pub fn new(store: &crate::store::Store) -> ChangeWatcher {
        ChangeWatcher {
            seen: store.data_version().ok(),
        }
    }

    /// True once per change committed by another connection since the last call.
    pub fn changed(&mut self, store: &crate::store::Store) -> bool {
        let now = store.data_version().ok();
        let changed = now != self.seen;
        self.seen = now;
        changed
    }
}

/// The worker: answers requests in order and, when idle, watches for other processes' writes and
/// for midnight, so the UI refreshes within a second without a keypress.
fn spawn_worker(
    mut store: crate::store::Store,
    ctx: Arc<AppContext>,
    requests: Receiver<Request>,
    events: Sender<Event>,
) {
    std::thread::spawn(move || {
        let mut watcher = ChangeWatcher::new(&store);
        loop {
            match requests.recv_timeout(CHANGE_POLL) {
                Ok(request) => {
                    let loaded = data::handle(&mut store, &ctx, request);
                    if events.send(Event::Loaded(loaded)).is_err() {
                        break;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    // Midnight on a dashboard working on today: the lists and figures move to
                    // the new date (the stored worklist and Progress figures refresh for it on
                    // the reloads this answer causes).
                    let today = chrono::Local::now().date_naive();
                    let news = if ctx.clock.roll_to(today) {
                        Some(Loaded::NewDay(today))
                    } else if watcher.changed(&store) {
                        Some(Loaded::Changed)
                    } else {
                        None
                    };
                    if let Some(news) = news
                        && events.send(Event::Loaded(news)).is_err()
                    {
                        break;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
    });
}
