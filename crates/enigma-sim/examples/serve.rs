//! Serves the simulator until Ctrl-C: `cargo run -p enigma-sim --example serve -- [ADDR] [TIME_SCALE]`.

use enigma_sim::{SimConfig, Simulator};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut config = SimConfig::default();
    if let Some(addr) = args.next() {
        config.bind = addr.parse().expect("ADDR like 127.0.0.1:8080");
    }
    if let Some(scale) = args.next() {
        config.time_scale = scale.parse().expect("TIME_SCALE like 0.1");
    }
    let sim = Simulator::start(config).await?;
    println!("{}", sim.url());
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}
