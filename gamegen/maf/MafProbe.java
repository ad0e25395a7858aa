// Replays key sequences through the Mario AI Framework's MarioForwardModel and reports
// Mario's state after every tick, so gamegen's movement model can be checked against the
// engine itself (tests/test_maf_movement.py).
//
//   java -cp <cache>:PlayAstar.jar MafProbe        stdin: one "<level file>\t<mode>\t<keys>" a line
//
// <mode> is small or big; <keys> is one token a tick, comma-separated, each token the
// letters of the buttons held that tick: R right, L left, S speed (run), J jump, D down,
// or '-' for none. Output: one JSON line per input line,
//   {"ticks": [[x, y, xa, ya, onGround], ...]}   (state after each tick; x, y in pixels)

import engine.core.MarioForwardModel;
import engine.core.MarioWorld;
import engine.helper.MarioActions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

public class MafProbe {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) continue;
            String[] parts = line.split("\t");
            try {
                System.out.println(replay(Files.readString(Path.of(parts[0])), parts[1].equals("big"), parts.length > 2 ? parts[2] : ""));
            } catch (Throwable e) {
                System.out.println("{\"error\":\"" + e.toString().replace("\\", "\\\\").replace("\"", "'") + "\"}");
            }
            System.out.flush();
        }
    }

    static String replay(String text, boolean big, String keys) {
        MarioWorld world = new MarioWorld(null);
        world.visuals = false;
        world.initializeLevel(text, 1_000_000);
        world.mario.isLarge = big;
        world.mario.isFire = false;
        world.update(new boolean[MarioActions.numberOfActions()]);  // as MarioGame does before the first tick
        MarioForwardModel model = new MarioForwardModel(world);
        StringBuilder out = new StringBuilder("{\"start\":");
        state(out, model);
        out.append(",\"ticks\":[");
        String[] tokens = keys.isEmpty() ? new String[0] : keys.split(",");
        for (int t = 0; t < tokens.length; t++) {
            model.advance(actions(tokens[t]));
            if (t > 0) out.append(',');
            state(out, model);
        }
        return out.append("]}").toString();
    }

    static boolean[] actions(String token) {
        boolean[] a = new boolean[MarioActions.numberOfActions()];
        a[MarioActions.RIGHT.getValue()] = token.indexOf('R') >= 0;
        a[MarioActions.LEFT.getValue()] = token.indexOf('L') >= 0;
        a[MarioActions.SPEED.getValue()] = token.indexOf('S') >= 0;
        a[MarioActions.JUMP.getValue()] = token.indexOf('J') >= 0;
        a[MarioActions.DOWN.getValue()] = token.indexOf('D') >= 0;
        return a;
    }

    static void state(StringBuilder out, MarioForwardModel model) {
        float[] pos = model.getMarioFloatPos();
        float[] vel = model.getMarioFloatVelocity();
        out.append('[').append(pos[0]).append(',').append(pos[1]).append(',').append(vel[0]).append(',').append(vel[1])
                .append(',').append(model.isMarioOnGround() ? 1 : 0).append(']');
    }
}
