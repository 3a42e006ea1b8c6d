package dev.gambiarra.outbound;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What one read brought reaches the relay as one buffer, in order, at the end of the read, and nothing leaks. */
class ReadCoalescerTest {

	@Test
	void chunksOfOneReadArePassedOnTogetherWhenTheReadCompletes() {
		EmbeddedChannel channel = new EmbeddedChannel(new ReadCoalescer(1024));
		channel.pipeline().fireChannelRead(chunk("data: 1\n\n"));
		channel.pipeline().fireChannelRead(chunk("data: 2\n\n"));
		assertThat((Object) channel.readInbound()).as("held until the read completes").isNull();

		channel.pipeline().fireChannelReadComplete();

		assertThat(text(channel.readInbound())).isEqualTo("data: 1\n\ndata: 2\n\n");
		assertThat((Object) channel.readInbound()).isNull();
		assertThat(channel.finish()).isFalse();
	}

	@Test
	void aReadWithOneChunkPassesItsBufferOnUntouched() {
		EmbeddedChannel channel = new EmbeddedChannel(new ReadCoalescer(1024));
		HttpContent only = chunk("data: only\n\n");
		channel.writeInbound(only);

		HttpContent relayed = channel.readInbound();
		assertThat(relayed.content()).isSameAs(only.content());
		relayed.release();
		assertThat(channel.finish()).isFalse();
	}

	@Test
	void theEndOfTheAnswerAndOtherMessagesFollowTheContentBeforeThem() {
		EmbeddedChannel channel = new EmbeddedChannel(new ReadCoalescer(1024));
		DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
		channel.writeInbound(head, chunk("a"), chunk("b"), LastHttpContent.EMPTY_LAST_CONTENT);

		assertThat((Object) channel.readInbound()).isSameAs(head);
		assertThat(text(channel.readInbound())).isEqualTo("ab");
		assertThat((Object) channel.readInbound()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
		assertThat(channel.finish()).isFalse();
	}

	@Test
	void aReadIsPassedOnInPiecesOfAtMostTheLimitPlusOneChunk() {
		EmbeddedChannel channel = new EmbeddedChannel(new ReadCoalescer(8));
		channel.writeInbound(chunk("12345"), chunk("6789"), chunk("ab"), chunk("cdefghij"), chunk("k"));

		assertThat(text(channel.readInbound())).isEqualTo("123456789");
		assertThat(text(channel.readInbound())).isEqualTo("abcdefghij");
		assertThat(text(channel.readInbound())).isEqualTo("k");
		assertThat(channel.finish()).isFalse();
	}

	@Test
	void contentHeldWhenTheConnectionClosesIsPassedOnBeforeTheClose() {
		EmbeddedChannel channel = new EmbeddedChannel(new ReadCoalescer(1024));
		channel.pipeline().fireChannelRead(chunk("partial"));
		channel.close();

		assertThat(text(channel.readInbound())).isEqualTo("partial");
	}

	@Test
	void contentHeldWhenTheHandlerIsRemovedIsReleased() {
		EmbeddedChannel channel = new EmbeddedChannel(new ReadCoalescer(1024));
		HttpContent first = chunk("one");
		HttpContent second = chunk("two");
		channel.pipeline().fireChannelRead(first);
		channel.pipeline().fireChannelRead(second);

		channel.pipeline().remove(ReadCoalescer.class);

		assertThat(first.refCnt()).isZero();
		assertThat(second.refCnt()).isZero();
		assertThat((Object) channel.readInbound()).isNull();
		assertThat(channel.finish()).isFalse();
	}

	private static HttpContent chunk(String text) {
		return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
	}

	/** The text of a relayed chunk, which is released. */
	private static String text(HttpContent content) {
		assertThat(content).isNotNull().isNotInstanceOf(LastHttpContent.class);
		ByteBuf data = content.content();
		try {
			return data.toString(StandardCharsets.UTF_8);
		}
		finally {
			content.release();
		}
	}

}
