use yew_agent::Registrable;

fn main() {
    console_error_panic_hook::set_once();
    if mia_playground::part_worker::in_part_worker() {
        mia_playground::part_worker::serve();
        return;
    }
    mia_playground::part_worker::start_part_worker();
    mia_playground::agent::AuditReactor::registrar()
        .encoding::<mia_playground::codec::BulkBincode>()
        .register();
}
