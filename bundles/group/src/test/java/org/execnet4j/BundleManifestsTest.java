package org.execnet4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Every execnet4j bundle on the class path (all of them: this module sees the whole plain-Java
 * stack) is a valid OSGi bundle that exports only versioned API packages, keeps its
 * {@code .internal} packages private, and shares no package with another bundle.
 */
class BundleManifestsTest {
    private static final List<String> EXPECTED = List.of("org.execnet4j.api", "org.execnet4j.core", "org.execnet4j.group",
            "org.execnet4j.serializer", "org.execnet4j.trace", "org.execnet4j.transport-popen");
    private static final Pattern PACKAGE = Pattern.compile("([a-zA-Z0-9_.]+)((?:;[^,\"]*(?:\"[^\"]*\")?)*)");

    @Test
    void bundlesExportOnlyVersionedApiAndShareNoPackage() throws IOException {
        Map<String, String> owner = new HashMap<>();
        List<String> seen = new ArrayList<>();
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/MANIFEST.MF"))) {
            Attributes main;
            try (InputStream in = url.openStream()) {
                main = new Manifest(in).getMainAttributes();
            }
            String bsn = main.getValue("Bundle-SymbolicName");
            if (bsn == null || !bsn.startsWith("org.execnet4j.")) {
                continue;
            }
            seen.add(bsn);
            assertEquals("2", main.getValue("Bundle-ManifestVersion"), bsn);
            assertTrue(main.getValue("Bundle-Version").startsWith("0.1.0"), bsn);
            for (String[] pkg : packages(main.getValue("Export-Package"))) {
                assertFalse(pkg[0].contains(".internal"), bsn + " exports " + pkg[0]);
                assertTrue(pkg[1].contains("version="), bsn + " exports " + pkg[0] + " without a version");
                assertEquals(null, owner.put(pkg[0], bsn), pkg[0] + " is in two bundles");
            }
            for (String[] pkg : packages(main.getValue("Private-Package"))) {
                assertTrue(pkg[0].endsWith(".internal") || pkg[0].contains(".internal."),
                        bsn + " has a private package outside .internal: " + pkg[0]);
                assertEquals(null, owner.put(pkg[0], bsn), pkg[0] + " is in two bundles");
            }
        }
        assertEquals(EXPECTED, List.copyOf(new TreeSet<>(seen)));
    }

    private static List<String[]> packages(String header) {
        List<String[]> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        Matcher m = PACKAGE.matcher(header);
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2)});
        }
        return out;
    }
}
