use yew_agent::Registrable;

fn main() {
    console_error_panic_hook::set_once();
    mia_playground::worker::fingerprint::FingerprintReactor::registrar()
        .encoding::<mia_playground::protocol::codec::BulkBincode<
            { mia_playground::protocol::codec::FINGERPRINT_WORKER },
        >>()
        .register();
}
