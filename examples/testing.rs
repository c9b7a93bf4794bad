//! Testing your own code with the simulator: `enigma_sim::Simulator` runs in-process (no
//! network, no key), one per test. Run the tests, or the same checks as a program:
//!
//!     cargo test -p enigma-examples --bin testing
//!     cargo run -p enigma-examples --bin testing

use std::collections::BTreeMap;
use std::time::Duration;

use enigma::{Client, Error, RunTaskOptions};
use enigma_sim::{Fault, SimConfig, SimHandle, Simulator};

// --- your code ---------------------------------------------------------------------------------

/// Asks the agent for each product's price; a product it cannot price maps to "unknown".
pub async fn find_prices(client: &Client, products: &[&str]) -> enigma::Result<BTreeMap<String, String>> {
    let mut prices = BTreeMap::new();
    for product in products {
        let options = RunTaskOptions::new(format!("Find the price of {product}")).timeout(Duration::from_secs(60));
        let price = match client.run_task(options).await {
            Ok(result) => result.message.unwrap_or_default(),
            Err(Error::TaskFailed { .. }) => "unknown".to_owned(),
            Err(other) => return Err(other),
        };
        prices.insert(product.to_string(), price);
    }
    Ok(prices)
}

// --- the test kit: a fast simulator and a client on it ----------------------------------------

/// `config` is `SimConfig::for_tests()` (fast, no rate limit) with a test's changes.
async fn simulator(config: SimConfig) -> (SimHandle, Client) {
    let sim = Simulator::start(config).await.expect("simulator");
    let client = Client::builder()
        .api_key("enig_testing000000000000000000000")
        .base_url(sim.url())
        .poll_interval(Duration::from_millis(10))
        .build()
        .expect("client");
    (sim, client)
}

async fn check_find_prices() {
    let (sim, client) = simulator(SimConfig::for_tests()).await;
    let prices =
        find_prices(&client, &["a keyboard #sim message=\"49 USD\"", "a lost item #sim fail=ELEMENT_NOT_FOUND"])
            .await
            .expect("prices");
    assert_eq!(prices.values().collect::<Vec<_>>(), ["49 USD", "unknown"]);
    assert_eq!(sim.stats().sessions.open, 0); // nothing left billing
    sim.shutdown().await;
}

async fn check_find_prices_when_the_service_is_down() {
    let (sim, client) = simulator(SimConfig::for_tests()).await;
    sim.add_fault(Fault::new("POST /start/start-session").status(503).count(10)).expect("a known endpoint");
    let err = find_prices(&client, &["a keyboard"]).await.expect_err("the service is down");
    assert_eq!(err.code(), "server");
    assert_eq!(sim.stats().sessions.total, 0); // a 503 opened nothing
    sim.shutdown().await;
}

async fn check_find_prices_without_balance() {
    let (sim, client) = simulator(SimConfig { initial_balance: 0.0, ..SimConfig::for_tests() }).await;
    let err = find_prices(&client, &["a keyboard"]).await.expect_err("no balance");
    assert_eq!(err.code(), "insufficient_balance");
    sim.shutdown().await;
}

#[tokio::main]
async fn main() {
    check_find_prices().await;
    check_find_prices_without_balance().await;
    check_find_prices_when_the_service_is_down().await;
    println!("3 checks passed");
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn find_prices_reads_each_price_and_survives_a_failure() {
        super::check_find_prices().await;
    }

    #[tokio::test]
    async fn find_prices_reports_an_empty_balance() {
        super::check_find_prices_without_balance().await;
    }

    #[tokio::test]
    async fn find_prices_reports_a_service_that_is_down() {
        super::check_find_prices_when_the_service_is_down().await;
    }
}
