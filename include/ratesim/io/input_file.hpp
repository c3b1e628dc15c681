#pragma once
// One way to read every input file: a regular file or a pipe (a FIFO, `<(zcat positions.csv.gz)`),
// line by line, never the whole file at once, and always listening for Ctrl-C. A directory, a
// device or a line without end is a clear input problem, never a hang or an exhausted memory.

#include <atomic>
#include <cstddef>
#include <string>
#include <vector>

namespace ratesim {

/// The longest line an input may have (a CSV row, a YAML line): beyond it the file is not text.
inline constexpr std::size_t kMaxInputLineBytes = 1 << 20;
/// The largest whole file read_all() accepts (configurations, scenario files; not positions).
inline constexpr std::size_t kMaxWholeFileBytes = 64u << 20;

class InputFile {
 public:
  /// Opens `path`. Throws InputError naming it when it is missing, unreadable, a directory, a device
  /// or a socket. With `stop`, every wait and every chunk read checks it and throws RunInterrupted
  /// once it is set (a FIFO whose writer never comes cannot hold the run).
  explicit InputFile(std::string path, const std::atomic<bool>* stop = nullptr);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  /// The next line, without its end of line ("\n" or "\r\n"); false at the end of the file.
  /// Throws InputError for a line longer than kMaxInputLineBytes or a file that is not text (a NUL byte).
  bool next_line(std::string& line);
  /// The 1-based number of the line next_line() returned last.
  int line_number() const { return line_number_; }
  /// Everything not read yet; throws InputError beyond kMaxWholeFileBytes.
  std::string read_all();

  const std::string& path() const { return path_; }

 private:
  /// Refills the buffer; false at the end of the file.
  bool fill();

  std::string path_;
  const std::atomic<bool>* stop_;
  int fd_ = -1;
  bool pipe_ = false;
  bool eof_ = false;
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0;
  int line_number_ = 0;
};

/// The whole of a small input file (YAML), read as InputFile reads it.
std::string read_input_text(const std::string& path, const std::atomic<bool>* stop = nullptr);

}  // namespace ratesim
