use yew_agent::Registrable;

fn main() {
    console_error_panic_hook::set_once();
    mia_playground::fingerprint_agent::FingerprintReactor::registrar()
        .encoding::<mia_playground::codec::BulkBincode<{ mia_playground::codec::FINGERPRINT_WORKER }>>()
        .register();
}
