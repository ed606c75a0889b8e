//! Panics inside third-party code — a reader on a broken file, the xlsx writer on a full
//! temporary folder — are caught where they happen and become Russian messages. The default
//! hook would first print an English «thread panicked at …» with a backtrace note, so the
//! binary installs a hook that stays silent while the current thread runs [`quietly`].

use std::any::Any;
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    static QUIET: Cell<u32> = const { Cell::new(0) };
}

/// Said before Rust's own English text of a panic no code catches: the analyst learns
/// what happened to the report and what to do.
pub const UNEXPECTED: &str = "shnor: ошибка: внутренняя ошибка shnor, работа прервана; файлы \
    отчёта записываются только целиком, так что в папке отчёта остались прежние. Если ниже \
    сказано «Resource temporarily unavailable» или «memory», не хватило памяти или потоков: \
    запустите shnor на машине с большим объёмом памяти или без ограничений (ulimit). Иначе \
    сообщите разработчикам shnor, приложив команду и текст ниже:";

/// Said instead when a library (polars' thread pools, tokio) could not start a thread: not a
/// defect but a limit of the machine, so no English text and backtrace follow.
pub const NO_THREADS: &str = "shnor: ошибка: не удалось запустить потоки расчёта: не хватило \
    памяти или потоков (ulimit -v, ulimit -u либо слишком большое RUST_MIN_STACK). Отчёт не \
    записан, прежние файлы в папке отчёта не тронуты: запустите shnor без этих ограничений или \
    на машине с большим объёмом памяти";

/// Whether a panic's text is a thread that could not be started (polars: «could not spawn
/// threads: ThreadPoolBuildError { … Resource temporarily unavailable … }», tokio: «OS can't
/// spawn worker thread: Resource temporarily unavailable (os error 11)»).
pub fn is_no_threads(text: &str) -> bool {
    let spawn = text.contains("spawn") && text.contains("thread");
    spawn && (text.contains("os error 11") || text.contains("Resource temporarily unavailable"))
}

/// Installs the hook; called once by the binary (library tests keep the default hook).
pub fn install() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if QUIET.with(Cell::get) == 0 {
            if is_no_threads(&message(info.payload())) {
                eprintln!("{NO_THREADS}");
                // Outputs are swapped in whole, so ending here leaves the previous set.
                std::process::exit(crate::exit::FAILED.into());
            }
            eprintln!("{UNEXPECTED}");
            default(info);
        }
    }));
}

/// Runs `f`, catching a panic; the installed hook prints nothing for it.
///
/// # Errors
/// The panic's text.
pub fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    QUIET.with(|q| q.set(q.get() + 1));
    let r = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(q.get() - 1));
    r.map_err(|p| message(p.as_ref()))
}

/// The text a panic was raised with.
fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_text_and_the_thread_is_loud_again() {
        assert_eq!(quietly(|| 7), Ok(7));
        let e = quietly(|| -> u8 { panic!("No space left on device") }).unwrap_err();
        assert_eq!(e, "No space left on device");
        assert_eq!(QUIET.with(Cell::get), 0);
    }

    #[test]
    fn threads_that_could_not_start_are_told_apart_from_defects() {
        // The two texts seen under `ulimit -v 190000` and `195000` on the demo municipality.
        assert!(is_no_threads(
            "OS can't spawn worker thread: Resource temporarily unavailable (os error 11)"
        ));
        assert!(is_no_threads(
            "could not spawn threads: ThreadPoolBuildError { kind: IOError(Os { code: 11, \
             kind: WouldBlock, message: \"Resource temporarily unavailable\" }) }"
        ));
        assert!(!is_no_threads(
            "index out of bounds: the len is 3 but the index is 7"
        ));
        assert!(!is_no_threads("Resource temporarily unavailable"));
    }
}
