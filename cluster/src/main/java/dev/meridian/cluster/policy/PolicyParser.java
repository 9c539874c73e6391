package dev.meridian.cluster.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates policy documents the way IAM (identity and trust policies) and S3 (bucket
 * policies) do before accepting them: a JSON object with an optional Version of 2012-10-17 or 2008-10-17,
 * one or more statements with an Effect, actions prefixed by a service, resources in ARN form, a Principal
 * where (and only where) the kind of policy needs one, unique statement ids, known condition operators and
 * no unknown elements. A refused document raises {@link PolicyException} with the reason AWS gives.
 */
public final class PolicyParser {

  /** What the document is attached to, which decides the elements it must and must not have. */
  public enum Kind {
    /** A user's or role's permissions: no Principal, a Resource. */
    IDENTITY,
    /** A bucket policy: a Principal and a Resource. */
    RESOURCE,
    /** A role's trust (assume-role) policy: a Principal, no Resource needed. */
    TRUST
  }

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Set<String> TOP = Set.of("Version", "Id", "Statement");
  private static final Set<String> ELEMENTS = Set.of("Sid", "Effect", "Principal", "NotPrincipal", "Action",
      "NotAction", "Resource", "NotResource", "Condition");

  private PolicyParser() {}

  /** Parses {@code json} as a policy of {@code kind}, or throws {@link PolicyException}. */
  public static Policy parse(String json, Kind kind) {
    JsonNode doc;
    try {
      doc = JSON.readTree(json);
    } catch (Exception e) {
      throw new PolicyException("Syntax errors in policy.");
    }
    if (doc == null || !doc.isObject()) throw new PolicyException("Syntax errors in policy.");
    for (Iterator<String> it = doc.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!TOP.contains(f)) throw new PolicyException("Syntax errors in policy. Unknown field " + f);
    }
    String version = "2008-10-17"; // IAM's default when the element is absent
    if (doc.has("Version")) {
      JsonNode v = doc.get("Version");
      if (!v.isTextual() || !(v.asText().equals("2012-10-17") || v.asText().equals("2008-10-17"))) {
        throw new PolicyException("The policy failed legacy parsing");
      }
      version = v.asText();
    }
    String id = doc.has("Id") ? text(doc.get("Id"), "Id") : null;
    JsonNode st = doc.get("Statement");
    if (st == null || st.isNull()) throw new PolicyException("Syntax errors in policy. Missing required field Statement");
    List<JsonNode> raw = new ArrayList<>();
    if (st.isArray()) st.forEach(raw::add);
    else if (st.isObject()) raw.add(st);
    else throw new PolicyException("Syntax errors in policy.");
    if (raw.isEmpty()) throw new PolicyException("Syntax errors in policy. Missing required field Statement");
    List<Policy.Statement> statements = new ArrayList<>();
    Set<String> sids = new HashSet<>();
    for (JsonNode s : raw) {
      Policy.Statement parsed = statement(s, kind);
      if (parsed.sid() != null && !parsed.sid().isEmpty() && !sids.add(parsed.sid())) {
        throw new PolicyException("Statement IDs (SID) in a single policy must be unique.");
      }
      statements.add(parsed);
    }
    return new Policy(version, id, statements);
  }

  private static Policy.Statement statement(JsonNode s, Kind kind) {
    if (!s.isObject()) throw new PolicyException("Syntax errors in policy.");
    for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!ELEMENTS.contains(f)) throw new PolicyException("Syntax errors in policy. Unknown field " + f);
    }
    String sid = s.has("Sid") ? text(s.get("Sid"), "Sid") : null;
    if (!s.has("Effect")) throw new PolicyException("Missing required field Effect");
    String effectText = text(s.get("Effect"), "Effect");
    Policy.Effect effect = switch (effectText) {
      case "Allow" -> Policy.Effect.ALLOW;
      case "Deny" -> Policy.Effect.DENY;
      default -> throw new PolicyException("Invalid effect: " + effectText);
    };
    boolean hasPrincipal = s.has("Principal") || s.has("NotPrincipal");
    if (s.has("Principal") && s.has("NotPrincipal")) throw new PolicyException("Syntax errors in policy. Principal and NotPrincipal are exclusive");
    if (kind == Kind.IDENTITY && hasPrincipal) throw new PolicyException("Policy document should not specify a principal.");
    if (kind != Kind.IDENTITY && !hasPrincipal) throw new PolicyException("Missing required field Principal");
    Policy.Principals principal = s.has("Principal") ? principals(s.get("Principal")) : null;
    Policy.Principals notPrincipal = s.has("NotPrincipal") ? principals(s.get("NotPrincipal")) : null;

    if (s.has("Action") && s.has("NotAction")) throw new PolicyException("Syntax errors in policy. Action and NotAction are exclusive");
    if (!s.has("Action") && !s.has("NotAction")) throw new PolicyException("Policy statement must contain actions.");
    List<String> actions = s.has("Action") ? actions(s.get("Action")) : null;
    List<String> notActions = s.has("NotAction") ? actions(s.get("NotAction")) : null;

    if (s.has("Resource") && s.has("NotResource")) throw new PolicyException("Syntax errors in policy. Resource and NotResource are exclusive");
    if (kind != Kind.TRUST && !s.has("Resource") && !s.has("NotResource")) {
      throw new PolicyException("Policy statement must contain resources.");
    }
    List<String> resources = s.has("Resource") ? resources(s.get("Resource")) : null;
    List<String> notResources = s.has("NotResource") ? resources(s.get("NotResource")) : null;
    List<Policy.Condition> conditions = s.has("Condition") ? conditions(s.get("Condition")) : List.of();
    return new Policy.Statement(sid, effect, principal, notPrincipal, actions, notActions, resources, notResources,
        conditions);
  }

  private static Policy.Principals principals(JsonNode p) {
    if (p.isTextual()) {
      if (!p.asText().equals("*")) throw new PolicyException("Invalid principal in policy");
      return new Policy.Principals(true, Map.of());
    }
    if (!p.isObject() || p.isEmpty()) throw new PolicyException("Invalid principal in policy");
    Map<String, List<String>> byType = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!Set.of("AWS", "Service", "Federated", "CanonicalUser").contains(e.getKey())) {
        throw new PolicyException("Invalid principal in policy");
      }
      List<String> values = strings(e.getValue(), "Principal");
      for (String v : values) {
        if (v.isEmpty()) throw new PolicyException("Invalid principal in policy");
        if (e.getKey().equals("AWS") && !v.equals("*") && !v.startsWith("arn:") && !v.matches("\\d{12}")) {
          throw new PolicyException("Invalid principal in policy");
        }
      }
      byType.put(e.getKey(), values);
    }
    boolean anyone = byType.size() == 1 && byType.getOrDefault("AWS", List.of()).contains("*");
    return new Policy.Principals(anyone, byType);
  }

  private static List<String> actions(JsonNode n) {
    List<String> out = strings(n, "Action");
    for (String a : out) {
      if (!a.equals("*") && (a.indexOf(':') <= 0 || a.indexOf(':') == a.length() - 1)) {
        throw new PolicyException("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
      }
    }
    return out;
  }

  private static List<String> resources(JsonNode n) {
    List<String> out = strings(n, "Resource");
    for (String r : out) {
      if (!r.equals("*") && !(r.startsWith("arn:") && r.split(":", -1).length >= 6)) {
        throw new PolicyException("Resource " + r + " must be in ARN format or \"*\".");
      }
    }
    return out;
  }

  private static List<Policy.Condition> conditions(JsonNode c) {
    if (!c.isObject()) throw new PolicyException("Syntax errors in policy.");
    List<Policy.Condition> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> ops = c.fields(); ops.hasNext(); ) {
      Map.Entry<String, JsonNode> op = ops.next();
      if (!Conditions.known(op.getKey())) throw new PolicyException("Invalid Condition type : " + op.getKey());
      if (!op.getValue().isObject() || op.getValue().isEmpty()) throw new PolicyException("Syntax errors in policy.");
      for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext(); ) {
        Map.Entry<String, JsonNode> key = keys.next();
        if (key.getKey().indexOf(':') <= 0) {
          throw new PolicyException("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
        }
        List<String> values = conditionValues(key.getValue());
        out.add(new Policy.Condition(op.getKey(), key.getKey().toLowerCase(Locale.ROOT), values));
      }
    }
    return out;
  }

  /** Condition values may be strings, numbers or booleans (JSON true is the string "true"). */
  private static List<String> conditionValues(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n.isArray()) {
      for (JsonNode v : n) out.add(scalar(v));
    } else {
      out.add(scalar(n));
    }
    if (out.isEmpty()) throw new PolicyException("Syntax errors in policy.");
    return out;
  }

  private static String scalar(JsonNode v) {
    if (v.isTextual() || v.isNumber() || v.isBoolean()) return v.asText();
    throw new PolicyException("Syntax errors in policy.");
  }

  private static List<String> strings(JsonNode n, String element) {
    List<String> out = new ArrayList<>();
    if (n.isTextual()) {
      out.add(n.asText());
    } else if (n.isArray() && !n.isEmpty()) {
      for (JsonNode v : n) out.add(text(v, element));
    } else {
      throw new PolicyException("Syntax errors in policy. " + element + " must be a string or a list of strings");
    }
    return out;
  }

  private static String text(JsonNode n, String element) {
    if (!n.isTextual()) throw new PolicyException("Syntax errors in policy. " + element + " must be a string");
    return n.asText();
  }
}
