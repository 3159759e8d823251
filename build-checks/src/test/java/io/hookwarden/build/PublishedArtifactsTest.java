package io.hookwarden.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The build's own promises, read from the POMs as written: a module is published unless it sets {@code
 * maven.deploy.skip}; every published module is in the BOM, and the BOM names nothing else; every published POM has
 * the name and description Maven Central asks for (licence, URL, SCM and developers come from the parent).
 */
class PublishedArtifactsTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void theBomListsEveryPublishedModuleAndNothingElse() throws Exception {
        List<String> inBom = new ArrayList<>();
        NodeList dependencies = pom(ROOT.resolve("bom/pom.xml")).getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            inBom.add(child((Element) dependencies.item(i), "artifactId"));
        }

        assertThat(inBom).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(inBom)).isEqualTo(published().keySet());
    }

    @Test
    void everyPublishedModuleHasItsOwnNameAndDescription() throws Exception {
        Map<String, Element> published = published();
        assertThat(published).containsKeys("hookwarden-core", "hookwarden-spring-boot-starter");

        published.forEach((artifactId, project) -> {
            assertThat(child(project, "name")).as(artifactId + " <name>").isNotBlank();
            assertThat(child(project, "description"))
                    .as(artifactId + " <description>")
                    .isNotBlank();
        });
    }

    @Test
    void theParentAndTheBomCarryTheLicenceUrlScmAndDevelopers() throws Exception {
        for (Path pom : List.of(ROOT.resolve("pom.xml"), ROOT.resolve("bom/pom.xml"))) {
            Element project = pom(pom).getDocumentElement();
            assertThat(child(project, "url")).as(pom + " <url>").startsWith("https://");
            assertThat(project.getElementsByTagName("license").getLength())
                    .as(pom + " <licenses>")
                    .isEqualTo(1);
            assertThat(text(project, "license", "name")).isEqualTo("Apache-2.0");
            assertThat(text(project, "scm", "connection")).as(pom + " <scm>").startsWith("scm:git:");
            assertThat(project.getElementsByTagName("developer").getLength())
                    .as(pom + " <developers>")
                    .isPositive();
        }
        assertThat(ROOT.resolve("LICENSE")).content().contains("Apache License", "Version 2.0, January 2004");
    }

    /** Every module of the root POM that does not set maven.deploy.skip, but the BOM, by artifactId. */
    private static Map<String, Element> published() throws Exception {
        Map<String, Element> published = new TreeMap<>();
        NodeList modules = pom(ROOT.resolve("pom.xml")).getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            Element project = pom(ROOT.resolve(modules.item(i).getTextContent().trim())
                            .resolve("pom.xml"))
                    .getDocumentElement();
            Element properties = firstChild(project, "properties");
            boolean skipped = properties != null && "true".equals(child(properties, "maven.deploy.skip"));
            if (!skipped && !"hookwarden-bom".equals(child(project, "artifactId"))) { // the BOM does not list itself
                published.put(child(project, "artifactId"), project);
            }
        }
        return published;
    }

    private static Document pom(Path path) throws Exception {
        assertThat(path).exists();
        try (var in = Files.newInputStream(path)) {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    private static Element firstChild(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }

    /** The text of a direct child, or null when there is none. */
    private static String child(Element parent, String name) {
        Element child = firstChild(parent, name);
        return child == null ? null : child.getTextContent().trim();
    }

    private static String text(Element project, String element, String child) {
        return child((Element) project.getElementsByTagName(element).item(0), child);
    }
}
