//! The MCP SSE transport (protocol 2024-11-05) under rmcp's server. rmcp ships only stdio,
//! Streamable HTTP and WebSocket-style transports now (the SSE server went when the protocol
//! deprecated it), so this is the thin part by hand: messages the client POSTs to the
//! connection's endpoint come in through one channel, the server's messages go out through
//! another, which the connection's SSE stream reads.

use rmcp::model::{ClientJsonRpcMessage, ServerJsonRpcMessage};
use rmcp::service::RoleServer;
use rmcp::transport::Transport;
use tokio::sync::mpsc;

/// The message channels of one connection.
pub(crate) struct SseTransport {
    pub outgoing: mpsc::Sender<ServerJsonRpcMessage>,
    pub incoming: mpsc::Receiver<ClientJsonRpcMessage>,
}

impl Transport<RoleServer> for SseTransport {
    type Error = std::io::Error;

    fn send(&mut self, item: ServerJsonRpcMessage) -> impl Future<Output = Result<(), Self::Error>> + Send + 'static {
        let outgoing = self.outgoing.clone();
        async move {
            outgoing
                .send(item)
                .await
                .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the SSE stream closed"))
        }
    }

    fn receive(&mut self) -> impl Future<Output = Option<ClientJsonRpcMessage>> + Send {
        self.incoming.recv()
    }

    async fn close(&mut self) -> Result<(), Self::Error> {
        self.incoming.close();
        Ok(())
    }
}
