package io.rota.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * rota-bom manages Rota's own artifacts and nothing else: imported into an application's build
 * (Spring Boot's, say) it must not override a single third-party version. It therefore has no
 * parent either, since an imported BOM hands over its parent's dependency management too.
 */
class BomTest {

  private static Document bom() throws Exception {
    Path pom = Path.of(System.getProperty("basedir", "."), "..", "bom", "pom.xml").normalize();
    assertThat(pom).exists();
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(false);
    return f.newDocumentBuilder().parse(Files.newInputStream(pom));
  }

  @Test
  void theBomHasNoParentAndManagesOnlyRotaArtifactsAtTheReactorVersion() throws Exception {
    Document bom = bom();
    Element project = bom.getDocumentElement();
    assertThat(project.getElementsByTagName("parent").getLength()).as("<parent> in rota-bom").isZero();
    NodeList deps = project.getElementsByTagName("dependency");
    assertThat(deps.getLength()).as("managed artifacts").isPositive();
    for (int i = 0; i < deps.getLength(); i++) {
      Element d = (Element) deps.item(i);
      String group = d.getElementsByTagName("groupId").item(0).getTextContent().trim();
      String artifact = d.getElementsByTagName("artifactId").item(0).getTextContent().trim();
      assertThat(group).as("groupId of managed %s", artifact).isEqualTo("io.rota");
      assertThat(d.getElementsByTagName("version").item(0).getTextContent().trim()).isEqualTo("${project.version}");
    }
    String bomVersion = ((Element) project.getElementsByTagName("version").item(0)).getTextContent().trim();
    assertThat(bomVersion).as("rota-bom's own version, which must follow the reactor's")
        .isEqualTo(RotaVersion.reactor());
  }

  /** The reactor's version, from the root pom. */
  static final class RotaVersion {
    static String reactor() throws Exception {
      Path pom = Path.of(System.getProperty("basedir", "."), "..", "pom.xml").normalize();
      Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(Files.newInputStream(pom)).getDocumentElement();
      NodeList children = project.getChildNodes();
      for (int i = 0; i < children.getLength(); i++) {
        if (children.item(i) instanceof Element e && e.getTagName().equals("version")) {
          return e.getTextContent().trim();
        }
      }
      throw new IllegalStateException("no <version> in " + pom);
    }
  }
}
