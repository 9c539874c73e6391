package dev.meridian.cluster.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GlobTest {

  @Test
  void starMatchesAnyRunAndQuestionMarkOneCharacter() {
    assertTrue(Glob.matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c"));
    assertTrue(Glob.matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/"));
    assertFalse(Glob.matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket"));
    assertTrue(Glob.matches("arn:aws:s3:::b?cket", "arn:aws:s3:::bucket"));
    assertFalse(Glob.matches("arn:aws:s3:::b?cket", "arn:aws:s3:::bcket"));
    assertTrue(Glob.matches("*a*b*c*", "xxaxxbxxcxx"));
    assertFalse(Glob.matches("*a*b*c*", "xxaxxcxxbxx"));
    assertTrue(Glob.matches("*", ""));
    assertFalse(Glob.matches("", "x"));
  }

  @Test
  void ignoringCaseIsForActions() {
    assertTrue(Glob.matches("s3:get*", "s3:GetObject", true, null));
    assertFalse(Glob.matches("s3:get*", "s3:GetObject", false, null));
  }

  @Test
  void variablesAreReplacedAndMatchedLiterally() {
    Map<String, String> vars = Map.of("aws:username", "a*b");
    assertTrue(Glob.matches("home/${aws:username}/*", "home/a*b/x", false, vars::get));
    assertFalse(Glob.matches("home/${aws:username}/*", "home/aXXb/x", false, vars::get), "the value's star is literal");
    assertFalse(Glob.matches("home/${aws:userid}/*", "home/a*b/x", false, vars::get), "an unknown variable matches nothing");
    assertTrue(Glob.matches("${*}literal${?}${$}", "*literal?$", false, vars::get));
    assertFalse(Glob.matches("${*}", "x", false, vars::get));
    assertTrue(Glob.matches("home/${aws:username}", "home/${aws:username}", false, null), "no variables in 2008-10-17");
    assertEquals("u-a*b", Glob.substitute("u-${aws:username}", vars::get));
    assertNull(Glob.substitute("u-${aws:userid}", vars::get));
  }
}
