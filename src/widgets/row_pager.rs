//! A long table shown a page at a time, with a filter: the first [`PAGE_ROWS`] matching rows, then
//! "show more". Rendering thousands of rows at once would hold the main thread for hundreds of
//! milliseconds; the text pairs and the monitor's keys use it.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Rows shown at first, and added by "show more".
pub const PAGE_ROWS: usize = 100;

/// The filter's text and how many matching rows are shown.
#[derive(Clone, PartialEq)]
pub struct RowPager {
    filter: UseStateHandle<String>,
    shown: UseStateHandle<usize>,
}

/// A pager starting at the first page with no filter.
#[hook]
pub fn use_row_pager() -> RowPager {
    RowPager {
        filter: use_state(String::new),
        shown: use_state(|| PAGE_ROWS),
    }
}

impl RowPager {
    /// True when `id` contains the filter's text (in any case).
    pub fn matches(&self, id: &str) -> bool {
        let needle = self.filter.trim().to_lowercase();
        needle.is_empty() || id.to_lowercase().contains(&needle)
    }

    /// How many rows to show.
    pub fn shown(&self) -> usize {
        *self.shown
    }

    /// The filter box; typing goes back to the first page.
    pub fn filter_box(&self, placeholder: &str, testid: &str, label: &str) -> Html {
        let (filter, shown) = (self.filter.clone(), self.shown.clone());
        let oninput = Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            filter.set(input.value());
            shown.set(PAGE_ROWS);
        });
        html! {
            <input type="search" placeholder={placeholder.to_string()} oninput={oninput} value={(*self.filter).clone()}
                data-testid={testid.to_string()} aria-label={label.to_string()} />
        }
    }

    /// "Show N more" when `matching` rows are more than those shown.
    pub fn more_button(&self, matching: usize, testid: &str) -> Html {
        let shown = self.shown.clone();
        if matching <= *shown {
            return html! {};
        }
        let onclick = Callback::from(move |_: MouseEvent| shown.set(*shown + PAGE_ROWS));
        html! {
            <button class="secondary" onclick={onclick} data-testid={testid.to_string()}>
                {format!("Show {} more", PAGE_ROWS.min(matching - *self.shown))}
            </button>
        }
    }
}
