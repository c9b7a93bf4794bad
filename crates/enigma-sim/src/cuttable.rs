//! A connection the simulator can cut abruptly, as a dropped network would: no WebSocket close
//! frame, no Socket.IO disconnect packet, the peer just sees the stream end (the reconnection
//! tests' `POST /_sim/sockets/cut`).
//!
//! It used to keep a duplicate descriptor of each connection to shut it down from outside: two
//! descriptors per socket, which put 10,000 sessions over a 20,000-descriptor limit. A switch
//! beside the stream does it with none: once cut, the stream reads as ended and refuses writes,
//! so the server drops it and the kernel closes it.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// Cuts one connection; shared by the connection and whoever may cut it.
#[derive(Debug, Default)]
pub(crate) struct CutSwitch {
    cut: AtomicBool,
    /// The task waiting to read from the connection: a cut wakes it to read the end.
    reader: Mutex<Option<Waker>>,
}

impl CutSwitch {
    /// Cuts the connection: its reader sees the stream end, its writes fail.
    pub(crate) fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        if let Some(reader) = self.reader.lock().unwrap_or_else(|e| e.into_inner()).take() {
            reader.wake();
        }
    }

    fn is_cut(&self) -> bool {
        self.cut.load(Ordering::SeqCst)
    }

    fn wake_on_cut(&self, cx: &Context<'_>) {
        let mut reader = self.reader.lock().unwrap_or_else(|e| e.into_inner());
        if !reader.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
            *reader = Some(cx.waker().clone());
        }
    }
}

/// A TCP stream with its [`CutSwitch`].
#[derive(Debug)]
pub(crate) struct Cuttable {
    stream: TcpStream,
    switch: Arc<CutSwitch>,
}

impl Cuttable {
    pub(crate) fn new(stream: TcpStream) -> (Cuttable, Arc<CutSwitch>) {
        let switch = Arc::new(CutSwitch::default());
        (Cuttable { stream, switch: switch.clone() }, switch)
    }
}

fn cut_off() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, "the simulator cut this connection")
}

impl AsyncRead for Cuttable {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.switch.wake_on_cut(cx);
        if this.switch.is_cut() {
            return Poll::Ready(Ok(())); // nothing read: the stream ended
        }
        Pin::new(&mut this.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Cuttable {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.switch.is_cut() {
            return Poll::Ready(Err(cut_off()));
        }
        Pin::new(&mut this.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.switch.is_cut() {
            return Poll::Ready(Err(cut_off()));
        }
        Pin::new(&mut this.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.switch.is_cut() {
            return Poll::Ready(Err(cut_off()));
        }
        Pin::new(&mut this.stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;

    #[tokio::test]
    async fn a_cut_ends_a_waiting_read_refuses_writes_and_the_peer_sees_the_end() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut peer = TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
        let (stream, switch) = Cuttable::new(listener.accept().await.unwrap().0);
        let server = tokio::spawn(async move {
            let mut stream = stream;
            let mut buf = [0u8; 16];
            let read = stream.read(&mut buf).await.unwrap(); // waits: the peer sends nothing
            let write = stream.write_all(b"late").await;
            (read, write.map_err(|e| e.kind()))
        });
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        switch.cut();
        let (read, write) = server.await.unwrap();
        assert_eq!((read, write), (0, Err(io::ErrorKind::BrokenPipe)));
        let mut rest = Vec::new();
        assert_eq!(peer.read_to_end(&mut rest).await.unwrap(), 0, "the peer sees the end, and nothing else");
    }
}
