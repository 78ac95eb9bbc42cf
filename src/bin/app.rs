fn main() {
    mia_playground::app::install_panic_hook();
    yew::Renderer::<mia_playground::app::App>::new().render();
}
