package dev.meridian.cluster.policy;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The Condition operators of IAM policies, evaluated as AWS documents them: String*, Numeric*, Date*, Bool,
 * BinaryEquals, IpAddress/NotIpAddress, Arn*, Null; the {@code IfExists} suffix and the
 * {@code ForAnyValue:}/{@code ForAllValues:} set qualifiers. Several policy values of one key are ORed (NORed
 * for a negated operator). A key the request lacks makes a positive operator false and a negated one true,
 * {@code ...IfExists} true, {@code ForAllValues} true and {@code ForAnyValue} false.
 */
public final class Conditions {

  private static final Set<String> BASE = Set.of(
      "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike",
      "StringNotLike", "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
      "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals", "DateNotEquals", "DateLessThan",
      "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress",
      "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null");
  private static final Set<String> NEGATED = Set.of("StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike",
      "NumericNotEquals", "DateNotEquals", "NotIpAddress", "ArnNotEquals", "ArnNotLike");

  private Conditions() {}

  /** An operator as written, split into its set qualifier, base operator and IfExists suffix. */
  private record Op(String qualifier, String base, boolean ifExists) {

    static Op parse(String written) {
      String qualifier = null;
      String rest = written;
      for (String q : List.of("ForAnyValue:", "ForAllValues:")) {
        if (rest.startsWith(q)) {
          qualifier = q.substring(0, q.length() - 1);
          rest = rest.substring(q.length());
        }
      }
      boolean ifExists = rest.endsWith("IfExists") && !rest.equals("IfExists");
      if (ifExists) rest = rest.substring(0, rest.length() - "IfExists".length());
      return new Op(qualifier, rest, ifExists);
    }
  }

  /** Whether IAM knows the operator (with its qualifier and suffix). */
  public static boolean known(String written) {
    Op op = Op.parse(written);
    return BASE.contains(op.base()) && !(op.base().equals("Null") && op.ifExists());
  }

  /** Whether every condition of a statement holds (conditions are ANDed). */
  public static boolean all(List<Policy.Condition> conditions, RequestContext ctx, boolean variables) {
    for (Policy.Condition c : conditions) {
      if (!holds(c, ctx, variables)) return false;
    }
    return true;
  }

  /** Whether one condition holds for the request. */
  public static boolean holds(Policy.Condition c, RequestContext ctx, boolean variables) {
    Op op = Op.parse(c.operator());
    if (!BASE.contains(op.base())) return false;
    List<String> actual = ctx.values(c.key());
    boolean present = actual != null && !actual.isEmpty();
    if (op.base().equals("Null")) {
      boolean wantAbsent = c.values().stream().anyMatch(v -> v.equalsIgnoreCase("true"));
      return wantAbsent != present;
    }
    boolean negated = NEGATED.contains(op.base());
    if (!present) {
      if (op.ifExists()) return true;
      if ("ForAllValues".equals(op.qualifier())) return true;
      if ("ForAnyValue".equals(op.qualifier())) return false;
      return negated;
    }
    Function<String, String> vars = variables ? ctx::value : null;
    if ("ForAllValues".equals(op.qualifier())) {
      return actual.stream().allMatch(a -> single(op.base(), negated, a, c.values(), vars));
    }
    if ("ForAnyValue".equals(op.qualifier())) {
      return actual.stream().anyMatch(a -> single(op.base(), negated, a, c.values(), vars));
    }
    // No qualifier: a positive operator needs one of the request's values to match, a negated one none.
    return negated ? actual.stream().allMatch(a -> single(op.base(), true, a, c.values(), vars))
        : actual.stream().anyMatch(a -> single(op.base(), false, a, c.values(), vars));
  }

  /** One request value against the policy's values: any matches (positive), none matches (negated). */
  private static boolean single(String base, boolean negated, String actual, List<String> expected,
      Function<String, String> vars) {
    String positive = negated ? positiveOf(base) : base;
    boolean any = false;
    for (String e : expected) {
      if (compare(positive, actual, e, vars)) {
        any = true;
        break;
      }
    }
    return negated != any;
  }

  private static String positiveOf(String negated) {
    return switch (negated) {
      case "StringNotEquals" -> "StringEquals";
      case "StringNotEqualsIgnoreCase" -> "StringEqualsIgnoreCase";
      case "StringNotLike" -> "StringLike";
      case "NumericNotEquals" -> "NumericEquals";
      case "DateNotEquals" -> "DateEquals";
      case "NotIpAddress" -> "IpAddress";
      case "ArnNotEquals" -> "ArnEquals";
      case "ArnNotLike" -> "ArnLike";
      default -> negated;
    };
  }

  private static boolean compare(String op, String actual, String expected, Function<String, String> vars) {
    switch (op) {
      case "StringEquals": {
        String e = Glob.substitute(expected, vars);
        return e != null && e.equals(actual);
      }
      case "StringEqualsIgnoreCase": {
        String e = Glob.substitute(expected, vars);
        return e != null && e.equalsIgnoreCase(actual);
      }
      case "StringLike":
        return Glob.matches(expected, actual, false, vars);
      case "ArnEquals":
      case "ArnLike":
        return arnLike(expected, actual, vars);
      case "Bool":
        return expected.equalsIgnoreCase(actual);
      case "BinaryEquals":
        return expected.equals(actual);
      case "IpAddress":
        return inCidr(actual, expected);
      default:
        break;
    }
    if (op.startsWith("Numeric")) {
      BigDecimal a = number(actual);
      BigDecimal e = number(expected);
      if (a == null || e == null) return false;
      return order(op.substring("Numeric".length()), a.compareTo(e));
    }
    if (op.startsWith("Date")) {
      Instant a = date(actual);
      Instant e = date(expected);
      if (a == null || e == null) return false;
      return order(op.substring("Date".length()), a.compareTo(e));
    }
    return false;
  }

  private static boolean order(String relation, int cmp) {
    return switch (relation) {
      case "Equals" -> cmp == 0;
      case "LessThan" -> cmp < 0;
      case "LessThanEquals" -> cmp <= 0;
      case "GreaterThan" -> cmp > 0;
      case "GreaterThanEquals" -> cmp >= 0;
      default -> false;
    };
  }

  /** ARN matching: each of the six colon-separated parts is matched on its own, with wildcards. */
  static boolean arnLike(String pattern, String arn, Function<String, String> vars) {
    if (pattern.equals("*")) return true;
    String[] p = pattern.split(":", 6);
    String[] a = arn.split(":", 6);
    if (p.length != 6 || a.length != 6) return false;
    for (int i = 0; i < 6; i++) {
      if (!Glob.matches(p[i], a[i], false, vars)) return false;
    }
    return true;
  }

  private static BigDecimal number(String s) {
    try {
      return new BigDecimal(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A date as IAM accepts it: ISO 8601 (date, date-time, with or without offset) or epoch seconds. */
  static Instant date(String s) {
    String t = s.trim();
    try {
      if (t.matches("-?\\d+")) return Instant.ofEpochSecond(Long.parseLong(t));
      if (t.matches("-?\\d+\\.\\d+")) return Instant.ofEpochMilli(new BigDecimal(t).movePointRight(3).longValue());
      if (t.length() == 10) return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
      if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:?\\d\\d$")) return OffsetDateTime.parse(t.replaceAll("([+-]\\d\\d)(\\d\\d)$", "$1:$2")).toInstant();
      return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Whether an address is in a CIDR block (IPv4 or IPv6; a bare address is a /32 or /128). */
  static boolean inCidr(String address, String cidr) {
    byte[] a = ip(address.trim());
    int slash = cidr.indexOf('/');
    byte[] net = ip((slash < 0 ? cidr : cidr.substring(0, slash)).trim());
    if (a == null || net == null) return false;
    if (a.length != net.length) {
      a = mapped(a, net.length);
      if (a == null) return false;
    }
    int bits;
    try {
      bits = slash < 0 ? net.length * 8 : Integer.parseInt(cidr.substring(slash + 1).trim());
    } catch (NumberFormatException e) {
      return false;
    }
    if (bits < 0 || bits > net.length * 8) return false;
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >> (i % 8);
      if ((a[i / 8] & mask) != (net[i / 8] & mask)) return false;
    }
    return true;
  }

  /** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) compared with an IPv4 block, or the other way round. */
  private static byte[] mapped(byte[] a, int wanted) {
    if (a.length == 16 && wanted == 4) {
      for (int i = 0; i < 10; i++) if (a[i] != 0) return null;
      if (a[10] != (byte) 0xff || a[11] != (byte) 0xff) return null;
      return new byte[] {a[12], a[13], a[14], a[15]};
    }
    return null;
  }

  /** The bytes of a literal address; null for anything else (no name is ever resolved). */
  private static byte[] ip(String literal) {
    if (literal.isEmpty() || !literal.toLowerCase(Locale.ROOT).matches("[0-9a-f:.]+")) return null;
    if (!literal.contains(":") && !literal.matches("\\d{1,3}(\\.\\d{1,3}){3}")) return null;
    try {
      return InetAddress.getByName(literal).getAddress();
    } catch (Exception e) {
      return null;
    }
  }
}
