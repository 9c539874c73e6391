package dev.meridian.cluster.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyFilterTest {

  private static final KeyFilter.Budget PLENTY = new KeyFilter.Budget(64L << 20);

  @Test
  void anEmptyFilterHasNoKey() {
    assertFalse(new KeyFilter(PLENTY).mightContain("a"));
  }

  @Test
  void everyKeyAddedIsFoundAsTheFilterGrowsAndFewOthersAre() {
    KeyFilter keys = new KeyFilter(PLENTY);
    int n = 100_000;
    for (int i = 0; i < n; i++) keys.add("photos/2026/" + i + ".jpg");
    for (int i = 0; i < n; i++) assertTrue(keys.mightContain("photos/2026/" + i + ".jpg"), "key " + i);
    // 512, 1024, ... : eight filters hold 130,560 keys.
    assertEquals(8, keys.filters());
    int wrong = 0;
    for (int i = 0; i < n; i++) if (keys.mightContain("videos/2026/" + i + ".mp4")) wrong++;
    assertTrue(wrong < n / 100, wrong + " of " + n + " keys never added were reported as maybe there");
    keys.release();
  }

  @Test
  void addingAKeyAgainTakesNoRoom() {
    KeyFilter keys = new KeyFilter(PLENTY);
    for (int round = 0; round < 10; round++) {
      for (int i = 0; i < KeyFilter.FIRST / 2; i++) keys.add("k" + i);
    }
    assertEquals(1, keys.filters());
    keys.release();
  }

  @Test
  void aFilterThatCannotGrowWithinTheBudgetGivesItsMemoryBackAndEveryKeyIsMaybeThere() {
    // Room for the filters of 512 and 1,024 keys, not for the next one of 2,048.
    KeyFilter.Budget budget = new KeyFilter.Budget(KeyFilter.bytes(512) + KeyFilter.bytes(1_024) + 100);
    KeyFilter keys = new KeyFilter(budget);
    for (int i = 0; i < 1_500; i++) keys.add(Integer.toString(i));
    assertEquals(2, keys.filters());
    assertEquals(KeyFilter.bytes(512) + KeyFilter.bytes(1_024), budget.used());
    assertFalse(keys.mightContain("never added"));
    for (int i = 1_500; i < 2_000; i++) keys.add(Integer.toString(i));
    assertEquals(0, keys.filters());
    assertEquals(0, budget.used());
    assertTrue(keys.mightContain("never added"));
  }

  @Test
  void releasedFiltersLeaveTheirMemoryToOthers() {
    KeyFilter.Budget budget = new KeyFilter.Budget(KeyFilter.bytes(512));
    KeyFilter first = new KeyFilter(budget);
    first.add("a");
    KeyFilter second = new KeyFilter(budget);
    second.add("b");
    assertTrue(second.mightContain("c"), "no room: every key is maybe there");
    first.release();
    KeyFilter third = new KeyFilter(budget);
    third.add("b");
    assertFalse(third.mightContain("c"));
  }
}
