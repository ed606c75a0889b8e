//! The command line's own words in Russian: clap's help and its errors, and OS errors in the
//! chain of a failed run. The analyst reads every line shnor prints; an English «error: the
//! following required arguments…» or «Is a directory (os error 21)» tells them nothing.

use clap::error::{ContextKind, ErrorKind};
use std::io;

/// The English of clap's help screens and their Russian, longest first where one contains
/// another.
const HELP_WORDS: &[(&str, &str)] = &[
    ("Usage:", "Использование:"),
    ("[OPTIONS]", "[ПАРАМЕТРЫ]"),
    ("<COMMAND>", "<КОМАНДА>"),
    ("[COMMAND]", "[КОМАНДА]"),
    ("Options:", "Параметры:"),
    ("Arguments:", "Аргументы:"),
    ("Commands:", "Команды:"),
    (
        "Print help (see a summary with '-h')",
        "Показать справку (кратко: -h)",
    ),
    (
        "Print help (see more with '--help')",
        "Показать справку (подробнее: --help)",
    ),
    ("Print help", "Показать справку"),
    ("Print version", "Показать версию"),
    ("[default: ", "[по умолчанию: "),
    ("[possible values: ", "[возможные значения: "),
    ("[aliases: ", "[другие имена: "),
];

/// A help screen or usage line of clap in Russian.
#[must_use]
pub fn translate(text: &str) -> String {
    HELP_WORDS
        .iter()
        .fold(text.to_string(), |t, (en, ru)| t.replace(en, ru))
}

/// What to print for a command line clap refused, and the exit code: help and version go to
/// stdout with 0, errors to stderr with [`crate::exit::USAGE`].
#[must_use]
pub fn clap_outcome(e: &clap::Error) -> (String, bool, u8) {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            (translate(&e.render().to_string()), false, crate::exit::OK)
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            (translate(&e.render().to_string()), true, crate::exit::USAGE)
        }
        _ => (clap_error(e), true, crate::exit::USAGE),
    }
}

/// A refused command line in Russian: what is wrong, the usage line and where the help is.
fn clap_error(e: &clap::Error) -> String {
    let get = |k: ContextKind| e.get(k).map(ToString::to_string).unwrap_or_default();
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let mut what = match e.kind() {
        ErrorKind::MissingRequiredArgument => {
            format!("не указано обязательное: {}", translate(&arg))
        }
        ErrorKind::MissingSubcommand => "не указана команда".to_string(),
        ErrorKind::InvalidSubcommand => {
            format!("нет команды «{}»", get(ContextKind::InvalidSubcommand))
        }
        ErrorKind::UnknownArgument => format!("неизвестный параметр «{arg}»"),
        ErrorKind::InvalidValue if value.is_empty() => format!("у {arg} не указано значение"),
        ErrorKind::InvalidValue => format!("недопустимое значение «{value}» у {arg}"),
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(|s| format!(": {}", value_reason(&s.to_string())))
                .unwrap_or_default();
            format!("значение «{value}» у {arg} не подходит{why}")
        }
        ErrorKind::ArgumentConflict => format!(
            "{arg} нельзя указать вместе с {}",
            get(ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("лишнее значение «{value}» у {arg}")
        }
        ErrorKind::NoEquals => format!("неверно записан параметр {arg}"),
        _ => format!(
            "команда не разобрана ({})",
            e.render().to_string().lines().next().unwrap_or_default()
        ),
    };
    let valid = get(ContextKind::ValidValue);
    if !valid.is_empty() {
        what.push_str(&format!("; допустимые значения: {valid}"));
    }
    let valid_sub = get(ContextKind::ValidSubcommand);
    if !valid_sub.is_empty() {
        what.push_str(&format!("; команды: {valid_sub}"));
    }
    for k in [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand] {
        let s = get(k);
        if !s.is_empty() {
            what.push_str(&format!(" — может быть, {s}?"));
        }
    }
    let usage = translate(&get(ContextKind::Usage));
    // «Использование: shnor validate …» → the command's own help.
    let command: Vec<&str> = usage
        .split_whitespace()
        .skip(1)
        .take_while(|w| !w.starts_with(['[', '<', '-']))
        .collect();
    let help = if command.is_empty() {
        "shnor --help".to_string()
    } else {
        format!("{} --help", command.join(" "))
    };
    let mut out = format!("shnor: ошибка в команде: {what}\n");
    if !usage.trim().is_empty() {
        out.push('\n');
        out.push_str(usage.trim_end());
        out.push('\n');
    }
    out.push_str(&format!("\nСправка: {help}\n"));
    out
}

/// A value parser's English reason in Russian where clap's own wording is known.
fn value_reason(s: &str) -> String {
    if let Some((_, range)) = s.split_once("is not in ") {
        format!("должно быть в пределах {}", range.replace("..=", "–"))
    } else if s.starts_with("invalid digit") || s.contains("invalid") {
        "нужно целое число".to_string()
    } else {
        s.to_string()
    }
}

/// An OS error in the analyst's words, with what to do.
#[must_use]
pub fn io_text(e: &io::Error) -> String {
    use io::ErrorKind as K;
    let what = match e.kind() {
        K::NotFound => "нет такого файла или папки — проверьте путь",
        K::PermissionDenied => "нет прав доступа — проверьте права на файл или папку",
        K::IsADirectory => "указана папка, а нужен файл",
        K::NotADirectory => "указан файл, а нужна папка",
        K::AlreadyExists => "файл уже существует",
        K::StorageFull => "на диске нет места — освободите место",
        K::ReadOnlyFilesystem => "диск только для чтения — укажите другую папку",
        K::InvalidData => "файл не текстовый (не UTF-8) — проверьте, тот ли файл указан",
        K::UnexpectedEof => "файл обрывается — он повреждён или записан не до конца",
        K::DirectoryNotEmpty => "папка не пуста",
        K::FileTooLarge => "файл слишком большой",
        K::Interrupted => "операция прервана",
        _ => "",
    };
    if what.is_empty() {
        format!("ошибка ввода-вывода ({e})")
    } else {
        what.to_string()
    }
}

/// The message of a failed run: its causes, outermost first, with OS errors in Russian.
#[must_use]
pub fn error_chain(e: &anyhow::Error) -> String {
    e.chain()
        .map(|c| match c.downcast_ref::<io::Error>() {
            Some(io) => io_text(io),
            None => c.to_string(),
        })
        .collect::<Vec<_>>()
        .join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_errors_read_in_russian_with_the_cause_kept() {
        let e = anyhow::Error::new(io::Error::from(io::ErrorKind::IsADirectory))
            .context("не удалось прочитать базовый снимок out");
        assert_eq!(
            error_chain(&e),
            "не удалось прочитать базовый снимок out: указана папка, а нужен файл"
        );
        assert_eq!(
            value_reason("1990 is not in 2000..=2100"),
            "должно быть в пределах 2000–2100"
        );
        let odd = io::Error::other("странное");
        assert_eq!(io_text(&odd), "ошибка ввода-вывода (странное)");
    }

    #[test]
    fn help_words_are_translated() {
        assert_eq!(
            translate("Usage: shnor [OPTIONS] <COMMAND>\n\nOptions:\n  -h, --help  Print help"),
            "Использование: shnor [ПАРАМЕТРЫ] <КОМАНДА>\n\nПараметры:\n  -h, --help  Показать справку"
        );
    }
}
