package dev.meridian.cluster.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.persistence.ObjectVersion;
import dev.meridian.persistence.VersionIds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Version ids as clients see them: opaque 32-character tokens that carry the version's order key. */
class VersionIdsTest {

  @Test
  void anIdCarriesItsSequenceAndLooksLikeAnS3VersionId() {
    long seq = 1_764_230_400_123_456L; // microseconds, as the partitions assign them
    String id = VersionIds.newVersionId(seq);
    assertEquals(32, id.length());
    assertTrue(id.matches("[0-9a-f]{16}[0-9A-Za-z]{16}"), id);
    assertEquals(OptionalLong.of(seq), VersionIds.seqOf(id));
    assertTrue(VersionIds.isWellFormed(id));
  }

  @Test
  void extremeSequencesRoundTrip() {
    for (long seq : new long[] {0, 1, Long.MAX_VALUE, -1L, Long.MIN_VALUE}) {
      assertEquals(OptionalLong.of(seq), VersionIds.seqOf(VersionIds.newVersionId(seq)), "seq " + seq);
    }
  }

  @Test
  void idsOfTheSameSequenceDiffer() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) ids.add(VersionIds.newVersionId(42));
    assertEquals(1000, ids.size());
  }

  @Test
  void idsSortAsTheirSequencesDo() {
    List<Long> seqs = List.of(5L, 1_000L, 1_764_230_400_000_000L, 1_764_230_400_000_001L, Long.MAX_VALUE);
    List<String> ids = new ArrayList<>();
    for (long s : seqs) ids.add(VersionIds.newVersionId(s));
    List<String> sorted = new ArrayList<>(ids);
    sorted.sort(String::compareTo);
    assertEquals(ids, sorted, "string order of ids is sequence order");
  }

  @Test
  void theNullVersionIsWellFormedButCarriesNoSequence() {
    assertTrue(VersionIds.isWellFormed(ObjectVersion.NULL_VERSION));
    assertEquals(OptionalLong.empty(), VersionIds.seqOf("null"));
  }

  @Test
  void malformedIdsAreRejected() {
    String good = VersionIds.newVersionId(7);
    List<String> bad = new ArrayList<>(List.of("", "abc", good + "x", good.substring(1),
        "zzzzzzzzzzzzzzzz" + good.substring(16), // not hex
        good.substring(0, 16) + "abcdefghijklmn-_", // not alphanumeric
        good.substring(0, 16) + "abcdefghijklmn/.",
        "Null", "NULL"));
    for (String id : bad) {
      assertFalse(VersionIds.isWellFormed(id), () -> "accepted " + id);
      assertEquals(OptionalLong.empty(), VersionIds.seqOf(id), () -> "seq of " + id);
    }
    assertFalse(VersionIds.isWellFormed(null));
    assertNotEquals(good, VersionIds.newVersionId(7));
  }

  /** The order key is 16 hex digits; Long.parseUnsignedLong also takes a leading '+', which no id has. */
  @Test
  void aSignInTheSequenceIsMalformed() {
    String id = "+00000000000000a" + "ABCDEFGHIJKLMNOP";
    assertFalse(VersionIds.isWellFormed(id), id);
  }

  /** Only ASCII letters and digits come out of newVersionId, so nothing else is one of ours. */
  @Test
  void nonAsciiLettersAreMalformed() {
    String id = "0000000000000001" + "\u00e9\u00e9\u00e9\u00e9ABCDEFGHIJKL";
    assertFalse(VersionIds.isWellFormed(id), id);
  }
}
