#include "ratesim/io/input_file.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ratesim/engine/progress.hpp"
#include "ratesim/io/input_error.hpp"

namespace ratesim {
namespace {

constexpr std::size_t kChunkBytes = 1 << 20;
constexpr int kPollMilliseconds = 200;  // how late a Ctrl-C may be heard while a pipe is silent

[[noreturn]] void refuse(const std::string& path, int line, std::string rule, std::string detail) {
  throw InputError(InputIssue{path, line, 0, std::move(rule), std::move(detail)});
}

}  // namespace

InputFile::InputFile(std::string path, const std::atomic<bool>* stop) : path_(std::move(path)), stop_(stop) {
  // O_NONBLOCK: opening a FIFO must not wait for its writer (that wait could not hear Ctrl-C).
  fd_ = ::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR) refuse(path_, 0, "cannot read file", "it does not exist");
    if (error == EACCES) refuse(path_, 0, "cannot read file", "permission denied");
    refuse(path_, 0, "cannot read file", std::strerror(error));
  }
  struct stat info {};
  if (::fstat(fd_, &info) != 0) {
    const int error = errno;
    ::close(fd_);
    refuse(path_, 0, "cannot read file", std::strerror(error));
  }
  if (S_ISFIFO(info.st_mode)) {
    pipe_ = true;
  } else if (!S_ISREG(info.st_mode)) {
    ::close(fd_);
    refuse(path_, 0, "not a file", S_ISDIR(info.st_mode) ? "it is a directory; give the path of a file in it"
                                                         : "it is a device or a socket, not a file or a pipe");
  } else {
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
  }
}

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool InputFile::fill() {
  if (eof_) return false;
  if (begin_ > 0) {  // keep the unfinished line at the front
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buffer_.size() < end_ + kChunkBytes) buffer_.resize(end_ + kChunkBytes);
  while (true) {
    check_stop_flag(stop_);
    if (pipe_) {
      pollfd ready{fd_, POLLIN, 0};
      const int n = ::poll(&ready, 1, kPollMilliseconds);
      if (n == 0 || (n < 0 && errno == EINTR)) continue;
      if (n < 0) refuse(path_, 0, "cannot read file", std::strerror(errno));
    }
    const ssize_t got = ::read(fd_, buffer_.data() + end_, kChunkBytes);
    if (got > 0) {
      end_ += static_cast<std::size_t>(got);
      return true;
    }
    if (got == 0) {
      eof_ = true;
      return false;
    }
    if (errno == EINTR || errno == EAGAIN) continue;
    refuse(path_, 0, "cannot read file", std::strerror(errno));
  }
}

bool InputFile::next_line(std::string& line) {
  std::size_t searched = begin_;  // the bytes before `searched` hold no end of line
  while (true) {
    const char* start = buffer_.data() + begin_;
    const void* newline = searched < end_ ? std::memchr(buffer_.data() + searched, '\n', end_ - searched) : nullptr;
    std::size_t length = end_ - begin_, consumed = length;
    if (newline) {
      length = static_cast<std::size_t>(static_cast<const char*>(newline) - start);
      consumed = length + 1;
    } else {
      if (length > kMaxInputLineBytes) {
        refuse(path_, line_number_ + 1, "line too long",
               "more than " + std::to_string(kMaxInputLineBytes >> 20) + " MiB without an end of line: not a text file");
      }
      const std::size_t scanned = end_ - begin_;  // fill() moves the unfinished line to the front
      if (fill()) {
        searched = begin_ + scanned;
        continue;
      }
      if (begin_ == end_) return false;
      start = buffer_.data() + begin_;  // the last line has no end of line
    }
    ++line_number_;
    if (std::memchr(start, '\0', length)) refuse(path_, line_number_, "not a text file", "the line holds a NUL byte");
    line.assign(start, length);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    begin_ += consumed;
    return true;
  }
}

std::string InputFile::read_all() {
  while (fill()) {
    if (end_ - begin_ > kMaxWholeFileBytes) {
      refuse(path_, 0, "file too large", "more than " + std::to_string(kMaxWholeFileBytes >> 20) + " MiB");
    }
  }
  std::string text(buffer_.data() + begin_, end_ - begin_);
  begin_ = end_;
  return text;
}

std::string read_input_text(const std::string& path, const std::atomic<bool>* stop) {
  InputFile file(path, stop);
  return file.read_all();
}

}  // namespace ratesim
