use yew_agent::Registrable;

fn main() {
    if mia_playground::worker::part::in_part_worker() {
        mia_playground::worker::part::serve();
        return;
    }
    mia_playground::worker::lifecycle::install_panic_hook();
    mia_playground::worker::part::start_part_worker();
    mia_playground::worker::reactor::AuditReactor::registrar()
        .encoding::<mia_playground::protocol::codec::BulkBincode>()
        .register();
}
