package dev.meridian.api.xml;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Tagging document of object and bucket tagging (read by the Put operations, written by the Get
 * operations). Mutable classes, as in {@link ReplicationXml}: absent elements stay null.
 */
public final class TaggingXml {

  private TaggingXml() {}

  @JacksonXmlRootElement(localName = "Tagging", namespace = S3Xml.NS)
  public static final class Tagging {
    @JacksonXmlElementWrapper(localName = "TagSet", namespace = S3Xml.NS)
    @JacksonXmlProperty(localName = "Tag", namespace = S3Xml.NS)
    public List<Tag> tagSet;

    public static Tagging of(Map<String, String> tags) {
      Tagging t = new Tagging();
      t.tagSet = new ArrayList<>();
      tags.forEach((k, v) -> t.tagSet.add(Tag.of(k, v)));
      return t;
    }
  }

  @JsonPropertyOrder({"Key", "Value"})
  public static final class Tag {
    @JsonProperty("Key") public String key;
    @JsonProperty("Value") public String value;

    public static Tag of(String key, String value) {
      Tag t = new Tag();
      t.key = key;
      t.value = value;
      return t;
    }
  }
}
