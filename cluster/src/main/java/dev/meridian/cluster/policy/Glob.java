package dev.meridian.cluster.policy;

import java.util.Locale;
import java.util.function.Function;

/**
 * The wildcard matching of IAM policies: {@code *} matches any run of characters (none included), {@code ?}
 * exactly one. Policy variables ({@code ${aws:username}}) are replaced before matching, and what they stand
 * for is matched literally (a user named {@code a*b} does not become a wildcard); {@code ${*}}, {@code ${?}}
 * and {@code ${$}} are the escapes for a literal {@code *}, {@code ?} and {@code $}. A pattern whose
 * variable has no value in the request matches nothing, as in AWS.
 */
public final class Glob {

  private Glob() {}

  /** Whether {@code value} matches {@code pattern} (no variables), case-sensitively. */
  public static boolean matches(String pattern, String value) {
    return matches(pattern, value, false, null);
  }

  /**
   * Whether {@code value} matches {@code pattern}. {@code variables} resolves {@code aws:username} and
   * the like (null: the pattern has no variables, as in 2008-10-17 policies); an unresolved variable
   * makes the match fail.
   */
  public static boolean matches(String pattern, String value, boolean ignoreCase, Function<String, String> variables) {
    Compiled p = compile(pattern, variables);
    if (p == null || value == null) return false;
    String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
    String chars = ignoreCase ? p.chars.toLowerCase(Locale.ROOT) : p.chars;
    return match(chars, p.wild, v);
  }

  /** Replaces the variables of a value that is compared exactly (StringEquals); null when one is unresolved. */
  public static String substitute(String pattern, Function<String, String> variables) {
    Compiled p = compile(pattern, variables);
    return p == null ? null : p.chars;
  }

  /** A pattern after variable substitution: its characters, and which of them are wildcards. */
  private record Compiled(String chars, boolean[] wild) {}

  private static Compiled compile(String pattern, Function<String, String> variables) {
    StringBuilder chars = new StringBuilder(pattern.length());
    boolean[] wild = new boolean[pattern.length() * 2 + 16];
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (variables != null && c == '$' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '{') {
        int end = pattern.indexOf('}', i + 2);
        if (end > 0) {
          String name = pattern.substring(i + 2, end);
          String literal = switch (name) {
            case "*", "?", "$" -> name;
            default -> variables.apply(name.trim());
          };
          if (literal == null) return null;
          for (int k = 0; k < literal.length(); k++) {
            wild = ensure(wild, chars.length());
            chars.append(literal.charAt(k)); // stays literal: wild[...] remains false
          }
          i = end + 1;
          continue;
        }
      }
      wild = ensure(wild, chars.length());
      if (c == '*' || c == '?') wild[chars.length()] = true;
      chars.append(c);
      i++;
    }
    return new Compiled(chars.toString(), wild);
  }

  private static boolean[] ensure(boolean[] wild, int index) {
    if (index < wild.length) return wild;
    boolean[] bigger = new boolean[index * 2 + 16];
    System.arraycopy(wild, 0, bigger, 0, wild.length);
    return bigger;
  }

  /** Iterative wildcard match with backtracking to the last star: linear in practice, never exponential. */
  private static boolean match(String p, boolean[] wild, String v) {
    int pi = 0;
    int vi = 0;
    int star = -1;
    int resume = 0;
    while (vi < v.length()) {
      if (pi < p.length() && wild[pi] && p.charAt(pi) == '*') {
        star = pi++;
        resume = vi;
      } else if (pi < p.length() && ((wild[pi] && p.charAt(pi) == '?') || (!isWildStar(p, wild, pi) && p.charAt(pi) == v.charAt(vi)))) {
        pi++;
        vi++;
      } else if (star >= 0) {
        pi = star + 1;
        vi = ++resume;
      } else {
        return false;
      }
    }
    while (pi < p.length() && wild[pi] && p.charAt(pi) == '*') pi++;
    return pi == p.length();
  }

  private static boolean isWildStar(String p, boolean[] wild, int i) {
    return wild[i] && p.charAt(i) == '*';
  }
}
