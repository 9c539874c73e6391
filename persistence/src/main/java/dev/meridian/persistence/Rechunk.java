package dev.meridian.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * Re-cuts a byte stream into chunks of exactly {@code size} bytes (the last one shorter), whatever the
 * sizes of the incoming frames. Holds at most one chunk plus one frame.
 */
public final class Rechunk {

  private Rechunk() {}

  public static Flow<ByteString, ByteString, NotUsed> flow(int size) {
    return Flow.<ByteString>create()
        .statefulMap(
            ByteString::emptyByteString,
            (ByteString buffer, ByteString in) -> {
              ByteString all = buffer.concat(in);
              List<ByteString> out = new ArrayList<>();
              while (all.size() >= size) {
                out.add(all.take(size).compact());
                all = all.drop(size);
              }
              return Pair.create(all, (List<ByteString>) out);
            },
            (ByteString buffer) -> buffer.isEmpty() ? Optional.<List<ByteString>>empty() : Optional.of(List.of(buffer.compact())))
        .mapConcat(list -> list);
  }

  /**
   * Splits frames larger than {@code max} bytes (slices, no copies); smaller frames pass as they are.
   * Used before bytes cross the cluster: Artery refuses messages over its frame size.
   */
  public static Flow<ByteString, ByteString, NotUsed> atMost(int max) {
    return Flow.<ByteString>create().mapConcat(bs -> {
      if (bs.size() <= max) return List.of(bs);
      List<ByteString> out = new ArrayList<>();
      for (int i = 0; i < bs.size(); i += max) out.add(bs.slice(i, Math.min(bs.size(), i + max)));
      return out;
    });
  }
}
