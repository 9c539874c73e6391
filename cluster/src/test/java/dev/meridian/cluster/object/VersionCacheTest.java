package dev.meridian.cluster.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.persistence.BlobRef;
import dev.meridian.persistence.ObjectMeta;
import dev.meridian.persistence.ObjectVersion;
import org.junit.jupiter.api.Test;

/**
 * The partition's view of the node's version cache: what a read answered from it can see, in the
 * interleavings of index reads and indexed writes that a partition entity goes through.
 */
class VersionCacheTest {

  private static ObjectVersion version(String key, long seq, int inlineBytes) {
    return new ObjectVersion(key, "v" + seq, seq, false, inlineBytes, "etag" + seq, seq,
        BlobRef.inline(new byte[inlineBytes]), ObjectMeta.empty());
  }

  private final VersionCache cache = new VersionCache(1 << 20);

  @Test
  void aWriteIsWhatTheNextReadSees() {
    VersionCache.View view = cache.view();
    assertNull(view.get("k"));
    ObjectVersion v1 = version("k", 1, 10);
    view.written("k", v1);
    assertSame(v1, view.get("k"));
    view.written("k", null); // a removal: the current version is not known without the index
    assertNull(view.get("k"));
  }

  @Test
  void anIndexReadFillsTheEntry() {
    VersionCache.View view = cache.view();
    ObjectVersion v1 = version("k", 1, 10);
    view.reading("k");
    view.read("k", v1);
    assertSame(v1, view.get("k"));
  }

  @Test
  void aReadOvertakenByAWriteDoesNotBringTheOlderVersionBack() {
    VersionCache.View view = cache.view();
    ObjectVersion v1 = version("k", 1, 10);
    ObjectVersion v2 = version("k", 2, 10);
    view.reading("k");          // a GET misses and reads the index (which still has v1)
    view.written("k", v2);      // a PUT of the key is indexed and acknowledged
    view.read("k", v1);         // the GET's read comes back late with v1
    assertSame(v2, view.get("k"), "a read after the acknowledged write sees it");

    view.written("k", null);    // say the key was then removed
    view.reading("k");
    view.reading("k");
    view.written("k", v2);
    view.read("k", v1);
    view.read("k", v1);
    assertSame(v2, view.get("k"), "every read in flight during the write is disregarded");

    view.written("k", null);
    view.reading("k");
    view.read("k", v2);
    assertSame(v2, view.get("k"), "once no overtaken read is in flight, reads fill the entry again");
  }

  @Test
  void aReadThatFoundNothingOrFailedIsNotCached() {
    VersionCache.View view = cache.view();
    view.reading("k");
    view.read("k", null);
    assertNull(view.get("k"));
  }

  @Test
  void eachIncarnationSeesOnlyItsOwnEntries() {
    VersionCache.View before = cache.view();
    before.written("k", version("k", 1, 10));
    VersionCache.View after = cache.view(); // the partition restarted, here or elsewhere and back
    assertNull(after.get("k"), "entries of an earlier incarnation may be stale: never seen");
  }

  @Test
  void theCacheStaysWithinItsBytes() {
    VersionCache small = new VersionCache(64 * 1024);
    VersionCache.View view = small.view();
    for (int i = 0; i < 100; i++) view.written("k" + i, version("k" + i, i, 4096));
    long held = 0;
    for (int i = 0; i < 100; i++) if (view.get("k" + i) != null) held++;
    assertTrue(held > 0 && held <= 64 * 1024 / 4096, "entries held: " + held);
  }

  @Test
  void aCacheOfNoBytesIsOff() {
    VersionCache off = new VersionCache(0);
    assertFalse(off.enabled());
    VersionCache.View view = off.view();
    view.written("k", version("k", 1, 10));
    view.reading("k");
    view.read("k", version("k", 1, 10));
    assertNull(view.get("k"));
    assertEquals(0, off.size());
  }
}
