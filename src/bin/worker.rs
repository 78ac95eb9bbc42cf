use yew_agent::Registrable;

fn main() {
    console_error_panic_hook::set_once();
    mia_playground::agent::AuditReactor::registrar()
        .encoding::<mia_playground::codec::BulkBincode>()
        .register();
}
