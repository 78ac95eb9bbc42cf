//! `mia`: the audit engine on the command line, for scripted privacy reviews and CI gates.
//!
//! This file parses the command line into one [`Command`] (clap) and dispatches it; each command
//! lives in `cmd/<command>.rs` with its options, help text and `run()`. Every command writes its
//! output through one locked standard output and returns an `io::Result`, so a reader that
//! closes the pipe early (`mia audit FILE | head -1`) ends the command quietly with status 0
//! ([`exit::exit_code`]) rather than a panic.

mod cmd;
mod exit;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use cmd::audit::AuditArgs;
use cmd::dp_epsilon::DpEpsilonArgs;
use cmd::dp_sigma::DpSigmaArgs;
use cmd::lira::LiraArgs;
use cmd::monitor::MonitorArgs;
use cmd::restrict::RestrictArgs;
use cmd::review::ReviewArgs;
use cmd::shadow::ShadowArgs;
use cmd::text::TextArgs;
use cmd::train::TrainArgs;
use cmd::unlearn_verify::UnlearnVerifyArgs;
use exit::{exit_code, CliError, Status};

/// What the exit codes mean (a macro, so that [`OVERVIEW`] can include it).
macro_rules! exit_status {
    () => {
        "\
EXIT STATUS: 0 ok (also when the reader of the output closes it early), 1 the output could not be
written, 2 bad usage, unreadable input, or rows skipped with --strict, 3 risk at or above
--fail-on (audit, text), (review) not approved with --fail-unapproved, or (unlearn-verify) not verified with
--fail-unverified."
    };
}

/// Shown after each command's help.
const EXIT_STATUS: &str = exit_status!();

/// Shown after `mia --help`: every command's options at a glance.
const OVERVIEW: &str = concat!(
    "\
OVERVIEW:
    mia audit FILE.csv [--signal NAME] [--json] [--fail-on LEVEL] [--strict]
    mia shadow DATASET.csv [--shadows N] [--model logreg|mlp] [--hidden H] [--epochs E]
                           [--per-class] [--seed S] [--json]
    mia lira FILE.csv [--gamma G] [--offline-a A] [--center median|mean]
                      [--offline-test one-sided|two-sided] [--scores-out FILE.csv] [--json] [--strict]
    mia train [--dataset digits|digits_noisy|breast_cancer|wine|FILE.csv] [--model logreg|mlp]
              [--hidden H[,H2]] [--epochs E] [--batch B] [--lr LR] [--optimizer sgd|adam] [--l2 L2]
              [--dropout P] [--label-smoothing EPS] [--clip NORM] [--early-stop none|patience|gap]
              [--target-gap GAP] [--seed S] [--dp [--noise-multiplier S | --target-epsilon E]
              [--max-grad-norm C] [--delta D]] [--outputs OUT.csv] [--json]
    mia text FILE.csv [--prefix-lengths L1,L2,…] [--span CHARS] [--k K] [--prompts-out FILE.csv]
                      [--fail-on high|critical] [--json]
    mia restrict FILE.csv [--temperature T] [--cap C] [--precision P] [--label-only] [--json]
                          [--out RESTRICTED.csv] [--strict]
    mia review [FILE.csv] [--sensitivity S] [--gap G] [--n-train N] [--logprobs yes|no]
                          [--eu yes|no] [--training T] [--model-size M] [--json]
                          [--reference-attacks LIRA.csv] [--html REPORT.html]
                          [--fail-unapproved] [--strict]
    mia monitor LOG.csv [--window S] [--repeat-threshold N] [--repeated-inputs N] [--diversity R]
                        [--min-total N] [--block-risk R] [--monitor-risk R] [--all-time-repeats]
                        [--rules-out FILE.yml [--rule-for D1,D2,D3] [--rule-severity S1,S2,S3]
                        [--rule-interval D]] [--metrics-out FILE.prom] [--json [--timeline]]
    mia monitor --follow [the same detector and rule options] [--columns NAMES]
                         [--metrics-addr HOST:PORT[/PATH]]
    mia dp-epsilon --q Q --sigma S --steps T --delta D [--json]
    mia dp-sigma --q Q --steps T --delta D --epsilon E [--json]

`mia <COMMAND> --help` describes a command and each of its options. A file that cannot be read
(missing, a directory, no permission) is named with the reason; rows with a bad value are skipped,
counted in a note on standard error, and listed by `mia audit`.

",
    exit_status!()
);

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "mia",
    bin_name = "mia",
    about = "mia - membership-inference audit of per-record model outputs (runs locally)",
    after_help = OVERVIEW,
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

/// One command per feature of the page.
#[derive(Debug, Subcommand)]
enum Command {
    #[command(about = cmd::audit::ABOUT, long_about = cmd::audit::LONG_ABOUT,
              after_help = EXIT_STATUS, args_override_self = true)]
    Audit(AuditArgs),
    #[command(about = cmd::shadow::ABOUT, long_about = cmd::shadow::LONG_ABOUT,
              after_help = EXIT_STATUS, args_override_self = true)]
    Shadow(ShadowArgs),
    #[command(about = cmd::lira::ABOUT, long_about = cmd::lira::LONG_ABOUT,
              after_help = EXIT_STATUS, args_override_self = true)]
    Lira(LiraArgs),
    #[command(about = cmd::train::ABOUT, long_about = cmd::train::LONG_ABOUT,
              after_help = EXIT_STATUS, args_override_self = true)]
    Train(TrainArgs),
    #[command(about = cmd::unlearn_verify::ABOUT, long_about = cmd::unlearn_verify::LONG_ABOUT,
              after_help = EXIT_STATUS, args_override_self = true)]
    UnlearnVerify(UnlearnVerifyArgs),
    #[command(about = cmd::text::ABOUT, long_about = cmd::text::LONG_ABOUT,
              after_help = EXIT_STATUS, args_override_self = true)]
    Text(TextArgs),
    #[command(about = cmd::restrict::ABOUT, long_about = cmd::restrict::LONG_ABOUT,
              after_help = EXIT_STATUS, args_override_self = true)]
    Restrict(RestrictArgs),
    #[command(about = cmd::review::ABOUT, long_about = cmd::review::LONG_ABOUT,
              after_help = EXIT_STATUS, args_override_self = true)]
    Review(ReviewArgs),
    #[command(about = cmd::monitor::ABOUT, long_about = cmd::monitor::LONG_ABOUT,
              after_help = EXIT_STATUS, args_override_self = true)]
    Monitor(MonitorArgs),
    #[command(about = cmd::dp_epsilon::ABOUT, long_about = cmd::dp_epsilon::LONG_ABOUT,
              after_help = EXIT_STATUS, args_override_self = true)]
    DpEpsilon(DpEpsilonArgs),
    #[command(about = cmd::dp_sigma::ABOUT, long_about = cmd::dp_sigma::LONG_ABOUT,
              after_help = EXIT_STATUS, args_override_self = true)]
    DpSigma(DpSigmaArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help (status 0) or bad usage (status 2, the message names the option). A closed pipe
        // while printing help is not an error either.
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let mut out = std::io::stdout().lock();
    let outcome = run(cli.command, &mut out).and_then(|status| {
        out.flush()?;
        Ok(status)
    });
    exit_code(outcome)
}

fn run(command: Option<Command>, out: &mut dyn Write) -> Result<Status, CliError> {
    match command {
        // `mia` alone: the help, as `mia --help`.
        None => {
            write!(out, "{}", Cli::command().render_help())?;
            Ok(Status::Ok)
        }
        Some(Command::Audit(args)) => args.run(out),
        Some(Command::Shadow(args)) => args.run(out),
        Some(Command::Lira(args)) => args.run(out),
        Some(Command::Train(args)) => args.run(out),
        Some(Command::UnlearnVerify(args)) => args.run(out),
        Some(Command::Text(args)) => args.run(out),
        Some(Command::Restrict(args)) => args.run(out),
        Some(Command::Review(args)) => args.run(out),
        Some(Command::Monitor(args)) => args.run(out),
        Some(Command::DpEpsilon(args)) => args.run(out),
        Some(Command::DpSigma(args)) => args.run(out),
    }
}
