package dev.gambiarra.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP relay in front of the hub, so a test can cut every connection (as a network drop or a hub restart
 * would) and bring the same port back. Plain threads and blocking sockets: nothing here runs on a Reactor thread.
 */
public final class TcpRelay implements AutoCloseable {

	private final int target;

	private final int port;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile ServerSocket server;

	private volatile boolean frozen;

	private TcpRelay(int target) throws IOException {
		this.target = target;
		this.server = bind(0);
		this.port = this.server.getLocalPort();
		accept(this.server);
	}

	public static TcpRelay to(int target) throws IOException {
		return new TcpRelay(target);
	}

	public int port() {
		return this.port;
	}

	/** Stops listening and closes every open connection. */
	public void cut() throws IOException {
		this.server.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
		this.sockets.clear();
	}

	/**
	 * Silently drops every byte from now on, both ways, and keeps the connections open: a half-open link, as when
	 * a laptop sleeps or a NAT forgets the connection (neither end sees a close).
	 */
	public void freeze() {
		this.frozen = true;
	}

	/** Connections (both sides counted) the relay holds open now. */
	public int openSockets() {
		return this.sockets.size();
	}

	/** Listens on the same port again. */
	public void restore() throws IOException {
		this.server = bind(this.port);
		accept(this.server);
	}

	private static ServerSocket bind(int port) throws IOException {
		ServerSocket socket = new ServerSocket();
		socket.setReuseAddress(true);
		socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		return socket;
	}

	private void accept(ServerSocket listening) {
		daemon("relay-accept", () -> {
			while (!listening.isClosed()) {
				try {
					Socket client = listening.accept();
					Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.target);
					this.sockets.add(client);
					this.sockets.add(upstream);
					pump(client, upstream);
					pump(upstream, client);
				}
				catch (IOException ex) {
					// closed by cut(), or the hub refused: the browser sees a dropped connection either way
				}
			}
		});
	}

	private void pump(Socket from, Socket to) {
		daemon("relay-pump", () -> {
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				byte[] buffer = new byte[8192];
				int read;
				while ((read = in.read(buffer)) >= 0) {
					if (!this.frozen) {
						out.write(buffer, 0, read);
						out.flush();
					}
				}
			}
			catch (IOException ex) {
				// one side went away
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		});
	}

	private void closeQuietly(Socket socket) {
		this.sockets.remove(socket);
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	private static void daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public void close() throws IOException {
		cut();
	}

}
