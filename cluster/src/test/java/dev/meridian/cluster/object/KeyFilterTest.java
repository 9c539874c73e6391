package dev.meridian.cluster.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyFilterTest {

  @Test
  void anEmptyFilterHasNoKey() {
    assertFalse(new KeyFilter().mightContain("a"));
  }

  @Test
  void everyKeyAddedIsFoundAsTheFilterGrowsAndFewOthersAre() {
    KeyFilter keys = new KeyFilter();
    int n = 100_000;
    for (int i = 0; i < n; i++) keys.add("photos/2026/" + i + ".jpg");
    for (int i = 0; i < n; i++) assertTrue(keys.mightContain("photos/2026/" + i + ".jpg"), "key " + i);
    // 512, 1024, ... : eight filters hold 130,560 keys.
    assertEquals(8, keys.filters());
    int wrong = 0;
    for (int i = 0; i < n; i++) if (keys.mightContain("videos/2026/" + i + ".mp4")) wrong++;
    assertTrue(wrong < n / 100, wrong + " of " + n + " keys never added were reported as maybe there");
  }

  @Test
  void addingAKeyAgainTakesNoRoom() {
    KeyFilter keys = new KeyFilter();
    for (int round = 0; round < 10; round++) {
      for (int i = 0; i < KeyFilter.FIRST / 2; i++) keys.add("k" + i);
    }
    assertEquals(1, keys.filters());
  }

  @Test
  void pastItsLimitEveryKeyIsMaybeThere() {
    KeyFilter keys = new KeyFilter(2_000); // 512 + 1,024 keys fit, the next filter (2,048) does not
    for (int i = 0; i < 1_500; i++) keys.add(Integer.toString(i));
    assertEquals(2, keys.filters());
    assertFalse(keys.mightContain("never added"));
    for (int i = 1_500; i < 2_000; i++) keys.add(Integer.toString(i));
    assertEquals(0, keys.filters());
    assertTrue(keys.mightContain("never added"));
  }
}
