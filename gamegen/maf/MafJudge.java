// Headless judge of Mario levels: Robin Baumgarten's A* agent plays each level in the
// Mario AI Framework's own engine, and one JSON line per level reports what happened.
//
//   java -cp <cache>:PlayAstar.jar MafJudge [--mode small|big] [--budget-ms 40]
//        [--ms-per-column 600] [--path-every 1] [level.txt ...]     (no files: paths on stdin)
//
// Why our own loop and not MarioGame.playAstar: playAstar takes the game clock in whole
// seconds (we need 0.6 s a column), and its agent budget is wall time, which a busy
// machine eats; here the 40 ms a tick is the agent thread's CPU time (CpuTimer).
// The loop is otherwise MarioGame.gameLoop's: one empty update, then per tick the agent
// plans on a clone of the world and the world advances by its actions.

import engine.core.MarioForwardModel;
import engine.core.MarioTimer;
import engine.core.MarioWorld;
import engine.helper.GameStatus;
import engine.helper.MarioActions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public class MafJudge {
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** MarioTimer whose remaining time counts this thread's CPU time, not the wall clock. */
    static final class CpuTimer extends MarioTimer {
        private final long startNs;
        private final long budgetNs;

        CpuTimer(long budgetMs) {
            super(budgetMs);
            this.budgetNs = budgetMs * 1_000_000L;
            this.startNs = THREADS.getCurrentThreadCpuTime();
        }

        @Override
        public long getRemainingTime() {
            long used = THREADS.getCurrentThreadCpuTime() - startNs;
            return Math.max(0L, (budgetNs - used) / 1_000_000L);
        }
    }

    static boolean big = false;
    static long budgetMs = 40;
    static int msPerColumn = 600;
    static int pathEvery = 1;

    public static void main(String[] args) throws Exception {
        if (THREADS.isCurrentThreadCpuTimeSupported()) THREADS.setThreadCpuTimeEnabled(true);
        List<String> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mode" -> big = args[++i].equals("big");
                case "--budget-ms" -> budgetMs = Long.parseLong(args[++i]);
                case "--ms-per-column" -> msPerColumn = Integer.parseInt(args[++i]);
                case "--path-every" -> pathEvery = Math.max(1, Integer.parseInt(args[++i]));
                default -> files.add(args[i]);
            }
        }
        if (files.isEmpty()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.isBlank()) judgeAndPrint(line.strip());
            }
        } else {
            for (String file : files) judgeAndPrint(file);
        }
    }

    static void judgeAndPrint(String file) {
        String line;
        try {
            line = judge(file, Files.readString(Path.of(file)));
        } catch (Throwable e) {  // one bad level must not cost the others their verdicts
            line = "{\"file\":" + quote(file) + ",\"error\":" + quote(e.toString()) + "}";
        }
        System.out.println(line);
        System.out.flush();
    }

    static String judge(String file, String text) {
        int columns = text.strip().split("\\r?\\n")[0].length();
        MarioWorld world = new MarioWorld(null);
        world.visuals = false;
        world.initializeLevel(text, msPerColumn * columns);
        world.mario.isLarge = big;
        world.mario.isFire = false;
        world.update(new boolean[MarioActions.numberOfActions()]);

        agents.robinBaumgarten.Agent agent = new agents.robinBaumgarten.Agent();
        agent.initialize(new MarioForwardModel(world.clone()), new CpuTimer(budgetMs));
        StringBuilder path = new StringBuilder();
        int ticks = 0;
        long start = System.nanoTime();
        while (world.gameStatus == GameStatus.RUNNING) {
            if (ticks % pathEvery == 0) point(path, world);
            boolean[] actions = agent.getActions(new MarioForwardModel(world.clone()), new CpuTimer(budgetMs));
            world.update(actions);
            ticks++;
        }
        point(path, world);
        return result(file, world, ticks, path, (System.nanoTime() - start) / 1e9);
    }

    static void point(StringBuilder path, MarioWorld world) {
        if (path.length() > 0) path.append(',');
        path.append('[').append(round(world.mario.x)).append(',').append(round(world.mario.y)).append(']');
    }

    static String result(String file, MarioWorld world, int ticks, StringBuilder path, double seconds) {
        String status = switch (world.gameStatus) {
            case WIN -> "win";
            case LOSE -> "lose";
            case TIME_OUT -> "timeout";
            default -> "running";
        };
        // MarioWorld.update loses Mario once he is 32 px below the level's bottom: that is a fall;
        // any other loss comes from Mario.getHurt while small, i.e. an enemy or a bullet.
        String cause = switch (status) {
            case "lose" -> world.mario.y > world.level.height ? "fell" : "enemy";
            case "timeout" -> "time";
            default -> "";
        };
        float completion = new MarioForwardModel(world).getCompletionPercentage();
        return "{\"file\":" + quote(file) + ",\"status\":\"" + status + "\",\"cause\":\"" + cause + "\""
                + ",\"completion\":" + completion + ",\"ticks\":" + ticks
                + ",\"x\":" + round(world.mario.x) + ",\"y\":" + round(world.mario.y)
                + ",\"exit_x\":" + world.level.exitTileX + ",\"seconds\":" + Math.round(seconds * 1000) / 1000.0
                + ",\"path\":[" + path + "]}";
    }

    static String round(float v) {
        return Float.toString(Math.round(v * 100f) / 100f);
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }
}
