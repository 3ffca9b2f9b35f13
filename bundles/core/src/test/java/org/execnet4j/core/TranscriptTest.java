package org.execnet4j.core;

import static org.execnet4j.core.Gateways.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.execnet4j.api.Channel;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.PyTuple;
import org.execnet4j.api.RemoteError;
import org.execnet4j.api.Spec;
import org.execnet4j.serializer.LoadOptions;
import org.execnet4j.serializer.WireFormat;
import org.junit.jupiter.api.Test;

/**
 * Replays the conversation of vectors/transcript_popen.json (captured between real
 * execnet 1.9 host and worker) with the Java host, and compares the frames it writes with the
 * captured ones byte for byte. The only captured frame left out is scenario G's
 * CHANNEL_LAST_MESSAGE, which execnet sends from a garbage-collection finaliser that Java has
 * no counterpart for. The last frame, GATEWAY_TERMINATE, differs on purpose: execnet sends it
 * without payload, our host with the seconds the remote may spend on cleanup (a float).
 */
class TranscriptTest {

    @Test
    void theHostWritesTheFramesExecnetWrites() throws Exception {
        JsonNode transcript = new ObjectMapper().readTree(Files.readString(
                Path.of(System.getProperty("execnet4j.vectors.dir", "../../vectors"), "transcript_popen.json")));
        List<String> sources = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (JsonNode frame : transcript.get("host_to_remote")) {
            if (frame.get("type").asText().equals("CHANNEL_EXEC")) {
                sources.add(frame.get("payload_decoded").get("items").get(0).get("value").asText());
            }
            String type = frame.get("type").asText();
            if (!type.equals("CHANNEL_LAST_MESSAGE") && !type.equals("GATEWAY_TERMINATE")) {
                expected.add(frame.get("frame_hex").asText());
            }
        }
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        // flow control off: the host then writes exactly execnet's frames (with it, CHANNEL_CREDIT frames come in between)
        GatewayLauncher launcher = new GatewayLauncher(type -> Optional.of(TeeingTransport.of(type, written)),
                EngineSettings.builder().flowWindow(0).build());
        Gateway gw = launcher.launch(Spec.parse("popen//python=" + Gateways.python()), "tgw");
        try {
            converse(gw, sources);
        } finally {
            gw.exit(TIMEOUT);
        }
        List<String> frames = frames(written.toByteArray());
        String terminate = frames.remove(frames.size() - 1);
        assertEquals(expected, frames);
        assertEquals("0200000000", terminate.substring(0, 10), "GATEWAY_TERMINATE on channel 0");
        byte[] payload = HexFormat.of().parseHex(terminate.substring(18));
        double cleanupSeconds = (Double) WireFormat.decode(payload, 0, payload.length, LoadOptions.CHANNEL_DEFAULTS, null);
        assertTrue(cleanupSeconds > 0 && cleanupSeconds < TIMEOUT.toSeconds(), "cleanup budget " + cleanupSeconds);
    }

    private static void converse(Gateway gw, List<String> sources) {
        // A: echo on channel 1
        Channel a = gw.remoteExec(sources.get(0));
        a.send(21);
        assertEquals(42, a.receive(TIMEOUT));
        a.waitClose(TIMEOUT);
        // B: remote_status() on channel 3
        assertEquals(0, gw.remoteStatus(TIMEOUT).numExecuting());
        // C: channel 5 gets the host's channel 7, answers on it and on its own channel 2
        Channel c = gw.remoteExec(sources.get(1));
        Channel sub = gw.newChannel();
        c.send(sub);
        assertEquals("via-sub", sub.receive(TIMEOUT));
        Channel mine = (Channel) c.receive(TIMEOUT);
        assertEquals("from-remote-channel", mine.receive(TIMEOUT));
        c.waitClose(TIMEOUT);
        // D: channel 9 closes the host's channel 11 with an error
        Channel d = gw.remoteExec(sources.get(2));
        Channel closedRemotely = gw.newChannel();
        d.send(closedRemotely);
        RemoteError e = assertThrows(RemoteError.class, () -> closedRemotely.waitClose(TIMEOUT));
        assertEquals("custom error text", e.formatted());
        d.waitClose(TIMEOUT);
        // E: gateway-wide and per-channel RECONFIGURE, then an echo
        gw.reconfigure(false, false);
        Channel echo = gw.remoteExec(sources.get(3));
        echo.reconfigure(true, false);
        Map<Object, Object> value = new LinkedHashMap<>();
        value.put("k", PyTuple.of(1.5, new byte[] {0, (byte) 0xff}, null, true));
        echo.send(value);
        assertTrue(echo.receive(TIMEOUT) instanceof Map<?, ?>);
        echo.waitClose(TIMEOUT);
        // F: the host closes with an error while the remote waits
        Channel f = gw.remoteExec(sources.get(4));
        f.close("host-side-error");
        // G: a channel whose remote sends one item and waits
        Channel g = gw.remoteExec(sources.get(5));
        assertEquals(1, g.receive(TIMEOUT));
        assertEquals(6, sources.size());
    }

    /** Splits what the host wrote into frames, after the bootstrap line. */
    private static List<String> frames(byte[] bytes) {
        int pos = 0;
        while (bytes[pos] != '\n') {
            pos++;
        }
        pos++;
        List<String> out = new ArrayList<>();
        while (pos < bytes.length) {
            int length = ((bytes[pos + 5] & 0xFF) << 24) | ((bytes[pos + 6] & 0xFF) << 16)
                    | ((bytes[pos + 7] & 0xFF) << 8) | (bytes[pos + 8] & 0xFF);
            out.add(HexFormat.of().formatHex(bytes, pos, pos + 9 + length));
            pos += 9 + length;
        }
        return out;
    }
}
