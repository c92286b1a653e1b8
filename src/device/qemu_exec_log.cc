#include "device/qemu_exec_log.h"

#include <cctype>
#include <charconv>

namespace kiln {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool ParseHex(std::string_view s, uint64_t& value) {
  if (s.starts_with("0x")) s.remove_prefix(2);
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, 16);
  return ec == std::errc() && end == s.data() + s.size();
}

bool IsHexWord(std::string_view s) {
  if (s.empty() || s.size() % 2 != 0 || s.size() > 8) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

/// The next whitespace-separated token of `s`, removed from it.
std::string_view NextToken(std::string_view& s) {
  s = Trim(s);
  size_t end = 0;
  while (end < s.size() && !std::isspace(static_cast<unsigned char>(s[end]))) ++end;
  std::string_view token = s.substr(0, end);
  s.remove_prefix(end);
  return token;
}

}  // namespace

bool ParseTracedInstruction(std::string_view line, TracedInstruction& out) {
  // "0x00001cce:  f8d4 e004  ldr.w    lr, [r4, #4]": address, the encoding
  // as it is fetched (Thumb halfwords, or one RISC-V word), then capstone's
  // mnemonic and operands.
  const size_t colon = line.find(':');
  if (!line.starts_with("0x") || colon == std::string_view::npos) return false;
  if (!ParseHex(line.substr(0, colon), out.address)) return false;
  std::string_view rest = line.substr(colon + 1);
  size_t bytes = 0;
  std::string_view token = NextToken(rest);
  // An encoding is at most 4 bytes on the boards QEMU runs for Kiln; a
  // mnemonic such as "add" is never an even-length run of hex digits.
  while (IsHexWord(token) && bytes + token.size() / 2 <= 4) {
    bytes += token.size() / 2;
    token = NextToken(rest);
  }
  if (bytes == 0 || token.empty()) return false;
  out.size = static_cast<uint8_t>(bytes);
  out.mnemonic = std::string(token);
  out.operands = std::string(Trim(rest));
  return true;
}

void QemuExecLogParser::Feed(std::string_view bytes) {
  while (!bytes.empty()) {
    const size_t newline = bytes.find('\n');
    if (newline == std::string_view::npos) {
      partial_.append(bytes);
      return;
    }
    if (partial_.empty()) {
      Line(bytes.substr(0, newline));
    } else {
      partial_.append(bytes.substr(0, newline));
      Line(partial_);
      partial_.clear();
    }
    bytes.remove_prefix(newline + 1);
  }
}

void QemuExecLogParser::Line(std::string_view line) {
  if (translating_) {
    TracedInstruction insn;
    if (ParseTracedInstruction(line, insn)) {
      translating_->instructions.push_back(std::move(insn));
      return;
    }
    // A blank line (or anything else) ends the paragraph.
    if (!translating_->instructions.empty()) {
      translating_->pc = translating_->instructions.front().address;
      translating_->id = next_id_++;
      translated_ = std::move(translating_);
    }
    translating_.reset();
  }
  if (line.starts_with("Trace ")) {
    // "Trace 0: 0x7fc69801e340 [00800400/00001ca0/00000010/ff020200] symbol"
    std::string_view rest = line.substr(6);
    const size_t colon = rest.find(':');
    const size_t open = rest.find('[');
    const size_t close = rest.find(']');
    uint64_t host = 0;
    uint64_t pc = 0;
    if (colon == std::string_view::npos || open == std::string_view::npos || close == std::string_view::npos ||
        close < open || !ParseHex(Trim(rest.substr(colon + 1, open - colon - 1)), host)) {
      ++unparsed_lines_;
      return;
    }
    std::string_view fields = rest.substr(open + 1, close - open - 1);
    const size_t first = fields.find('/');
    const size_t second = first == std::string_view::npos ? first : fields.find('/', first + 1);
    if (second == std::string_view::npos || !ParseHex(fields.substr(first + 1, second - first - 1), pc)) {
      ++unparsed_lines_;
      return;
    }
    if (translated_ && translated_->pc == pc) {
      translated_->symbol = std::string(Trim(rest.substr(close + 1)));
      blocks_[host] = std::move(translated_);
    }
    auto it = blocks_.find(host);
    if (it == blocks_.end() || it->second->pc != pc) {
      ++unparsed_lines_;  // a block whose "IN:" paragraph the log does not hold
      if (events_.lost) events_.lost();
      return;
    }
    if (events_.executed) events_.executed(*it->second);
    return;
  }
  if (line.starts_with("IN:")) {
    translating_ = std::make_unique<TranslatedBlock>();
    return;
  }
  static constexpr std::string_view kRewound = "cpu_io_recompile: rewound execution of TB to ";
  if (line.starts_with(kRewound)) {
    uint64_t pc = 0;
    if (ParseHex(Trim(line.substr(kRewound.size())), pc) && events_.rewound) events_.rewound(pc);
    else ++unparsed_lines_;
    return;
  }
  // "Stopped execution of TB chain before 0x7fc698023e40 [00001f0c] symbol"
  static constexpr std::string_view kStopped = "Stopped execution of TB chain before ";
  if (line.starts_with(kStopped)) {
    const size_t open = line.find('[');
    const size_t close = line.find(']');
    uint64_t pc = 0;
    if (open != std::string_view::npos && close != std::string_view::npos && close > open &&
        ParseHex(line.substr(open + 1, close - open - 1), pc) && events_.rewound)
      events_.rewound(pc);
    else
      ++unparsed_lines_;
    return;
  }
  if (!line.empty() && !line.starts_with("----")) ++unparsed_lines_;
}

}  // namespace kiln
