package dev.meridian.api.xml;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The AccessControlPolicy document: read from Put*Acl bodies (mutable classes), written for Get*Acl. */
public final class AclXml {

  public static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

  private AclXml() {}

  @JacksonXmlRootElement(localName = "AccessControlPolicy", namespace = S3Xml.NS)
  @JsonPropertyOrder({"Owner", "AccessControlList"})
  public static final class AccessControlPolicy {
    @JsonProperty("Owner") public BucketXml.Owner owner;
    @JacksonXmlElementWrapper(localName = "AccessControlList", namespace = S3Xml.NS)
    @JacksonXmlProperty(localName = "Grant", namespace = S3Xml.NS)
    public List<Grant> grants = new ArrayList<>();
  }

  /**
   * The only policy a bucket with ACLs disabled has: its owner has FULL_CONTROL. Written by hand because
   * clients look for the grantee's type as the attribute {@code xsi:type}, with that very prefix, which
   * Jackson's XML writer does not let one choose.
   */
  public static byte[] ownerFullControl(String owner) {
    String o = S3Xml.escape(owner);
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<AccessControlPolicy xmlns=\"" + S3Xml.NS + "\"><Owner><ID>" + o + "</ID><DisplayName>" + o
        + "</DisplayName></Owner><AccessControlList><Grant><Grantee xmlns:xsi=\"" + XSI
        + "\" xsi:type=\"CanonicalUser\"><ID>" + o + "</ID><DisplayName>" + o + "</DisplayName></Grantee>"
        + "<Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>")
        .getBytes(StandardCharsets.UTF_8);
  }

  @JsonPropertyOrder({"Grantee", "Permission"})
  public static final class Grant {
    @JsonProperty("Grantee") public Grantee grantee;
    @JsonProperty("Permission") public String permission;
  }

  @JsonPropertyOrder({"type", "ID", "DisplayName", "URI", "EmailAddress"})
  public static final class Grantee {
    @JacksonXmlProperty(isAttribute = true, localName = "type") public String type;
    @JsonProperty("ID") public String id;
    @JsonProperty("DisplayName") public String displayName;
    @JsonProperty("URI") public String uri;
    @JsonProperty("EmailAddress") public String emailAddress;
  }
}
