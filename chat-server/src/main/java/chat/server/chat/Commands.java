package chat.server.chat;

import chat.server.metrics.DisconnectReason;
import chat.protocol.Command;
import chat.protocol.Names;
import chat.protocol.RoomNames;
import chat.protocol.ServerLines;
import chat.server.config.History;
import chat.server.delivery.Delivery;

/**
 * What a joined session's commands do (PROTOCOL.md, "Talking", "Rooms", "History"). Errors go
 * to the sender alone. Chat executor only, as part of the {@link Broadcaster}.
 */
final class Commands {

    private final Broadcaster chat;
    private final Delivery delivery;

    Commands(Broadcaster chat) {
        this.chat = chat;
        this.delivery = chat.delivery;
    }

    void run(Session s, Command command) {
        if (chat.clustered != null && chat.clustered.run(s, command)) {
            return;
        }
        // A switch over the sealed type needs Java 21's patterns; on 17 this chain is the same dispatch.
        if (command instanceof Command.Say say) {
            chat.publish(s.room, ServerLines.chat(s.name, say.text()), true);
        } else if (command instanceof Command.Act act) {
            chat.publish(s.room, ServerLines.action(s.name, act.text()), true);
        } else if (command instanceof Command.Whisper w) {
            whisper(s, w);
        } else if (command instanceof Command.Rename r) {
            rename(s, Names.display(r.newName()));
        } else if (command instanceof Command.Join j) {
            join(s, RoomNames.display(j.room()));
        } else if (command instanceof Command.Rooms) {
            reply(s, chat.rooms.list());
        } else if (command instanceof Command.History h) {
            history(s, h.count());
        } else if (command instanceof Command.Who) {
            reply(s, ServerLines.hereNow(s.room.names(), s.room.size()));
        } else if (command instanceof Command.Help) {
            ServerLines.HELP.forEach(line -> reply(s, line));
        } else if (command instanceof Command.Quit) {
            chat.disconnect(s, DisconnectReason.QUIT, ServerLines.disconnectedQuit());
        } else if (command instanceof Command.Unknown u) {
            reply(s, ServerLines.unknownCommand(u.word()));
        } else if (command instanceof Command.Invalid i) {
            reply(s, i.error());
        }
    }

    private void whisper(Session from, Command.Whisper w) {
        Session to = chat.names.find(w.to());
        if (to == null) {
            reply(from, ServerLines.noOneNamed(w.to()));
            return;
        }
        delivery.notice(to.outbox(), ServerLines.privateFrom(from.name, w.text()));
        reply(from, ServerLines.privateTo(to.name, w.text()));
    }

    private void rename(Session s, String newName) {
        String problem = chat.names.problem(s, newName);
        if (problem != null) {
            reply(s, problem);
            return;
        }
        String oldName = s.name;
        chat.names.claim(s, newName);
        s.room.renamed(oldName, newName);
        if (chat.config.limits().announces(s.room.size())) {
            chat.publish(s.room, ServerLines.renamed(oldName, newName), false);
        }
    }

    private void join(Session s, String roomName) {
        if (!RoomNames.isValid(roomName)) {
            reply(s, ServerLines.invalidRoomName());
            return;
        }
        Room target = chat.rooms.find(roomName);
        if (target == s.room) {
            reply(s, ServerLines.alreadyIn(s.room.name));
            return;
        }
        boolean leavingFreesARoom = s.room != chat.rooms.lobby && s.room.size() == 1;
        if (target == null && chat.rooms.full() && !leavingFreesARoom) {
            reply(s, ServerLines.tooManyRooms(chat.rooms.limit()));
            return;
        }
        chat.leaveRoom(s);
        if (target == null) {
            target = chat.rooms.create(roomName);
        }
        reply(s, ServerLines.youAreIn(target.name));
        chat.enter(s, target);
    }

    private void history(Session s, int count) {
        int kept = chat.config.history().lines();
        if (count > kept) {
            reply(s, ServerLines.usageHistory());
            return;
        }
        int wanted = count == Command.History.DEFAULT ? Math.min(History.DEFAULT_REQUEST, kept) : count;
        delivery.recent(s.outbox(), s.room.log, wanted);
    }

    private void reply(Session s, String line) {
        delivery.reply(s.outbox(), line);
    }
}
